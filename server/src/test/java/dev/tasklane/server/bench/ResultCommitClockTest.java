package dev.tasklane.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.port.TaskStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A slow-model run ends when its last result is committed, not when its last call returned. */
class ResultCommitClockTest {
    private static final Instant CALL_RETURNED = Instant.parse("2026-12-04T02:00:00Z");
    private static final Instant COMMITTED = CALL_RETURNED.plusMillis(17);

    private final AtomicReference<Instant> now = new AtomicReference<>(CALL_RETURNED);
    private final CompletableFuture<Boolean> answer = new CompletableFuture<>();
    private final ResultCommitClock clock = new ResultCommitClock(storeAnswering(answer), new SettableClock(now));

    @Test
    void aResultCountsWhenItsCommitIsAnsweredNotWhenItIsHandedToTheStore() {
        clock.complete(UUID.randomUUID(), 1, new TaskResult("done", null, null, null, null), CALL_RETURNED);
        assertThat(clock.lastCommitted()).isEmpty();

        now.set(COMMITTED);
        answer.complete(true);

        assertThat(clock.lastCommitted()).contains(COMMITTED);
    }

    @Test
    void aResultRefusedByItsFenceDoesNotCount() {
        clock.complete(UUID.randomUUID(), 1, new TaskResult("late", null, null, null, null), CALL_RETURNED);
        now.set(COMMITTED);
        answer.complete(false);

        assertThat(clock.lastCommitted()).isEmpty();
    }

    /** A store whose every result write is answered by {@code answer}. */
    private static TaskStore storeAnswering(CompletableFuture<Boolean> answer) {
        return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("complete")) {
                        return answer;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static final class SettableClock extends Clock {
        private final AtomicReference<Instant> now;

        SettableClock(AtomicReference<Instant> now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
