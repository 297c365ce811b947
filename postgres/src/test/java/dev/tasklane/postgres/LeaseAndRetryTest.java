package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.port.TaskStore;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writes a worker makes while it holds an attempt: renewing, retrying later, handing back. */
class LeaseAndRetryTest extends StorageTestBase {

    private static final TaskError RATE_LIMITED = new TaskError("rate_limited", "429 from node", true);

    private TaskStore tasks;

    @BeforeEach
    void stores() {
        tasks = storage.tasks();
    }

    @Test
    void renewLeasesExtendsOnlyTheLeasesStillHeld() {
        Task held = claim(insertSingle());
        Task otherAttempt = claim(insertSingle());
        Task queued = insertSingle();
        Task cancelled = claim(insertSingle());
        tasks.cancel(data.tenant, cancelled.id(), data.now());
        Instant until = data.now().plusSeconds(300);

        Set<UUID> renewed = tasks.renewLeases(Map.of(held.id(), 1, otherAttempt.id(), 2, queued.id(), 0,
                cancelled.id(), 1, UUID.randomUUID(), 1), until);

        assertThat(renewed).containsExactly(held.id());
        assertThat(find(held).leaseUntil()).isEqualTo(until);
        assertThat(find(otherAttempt).leaseUntil()).isEqualTo(otherAttempt.leaseUntil());
        assertThat(find(queued)).isEqualTo(queued);
        assertThat(find(cancelled).leaseUntil()).isNull();
    }

    @Test
    void renewingNothingAsksNothing() {
        assertThat(tasks.renewLeases(Map.of(), data.now())).isEmpty();
    }

    @Test
    void retryLaterSchedulesTheTaskWithItsLastError() {
        Task running = claim(insertSingle());
        Instant now = data.now().plusSeconds(5);
        Instant runAt = now.plusSeconds(30);

        assertThat(tasks.retryLater(running.id(), 1, RATE_LIMITED, runAt, now)).isTrue();

        Task scheduled = find(running);
        assertThat(scheduled.status()).isEqualTo(TaskStatus.SCHEDULED);
        assertThat(scheduled.runAt()).isEqualTo(runAt);
        assertThat(scheduled.error()).isEqualTo(RATE_LIMITED);
        assertThat(scheduled.leaseUntil()).isNull();
        assertThat(scheduled.attempt()).isEqualTo(1);
        assertThat(scheduled.finishedAt()).isNull();
        assertThat(storage.events().list(running.id())).as("queued and claimed, nothing from the retry").hasSize(2);
    }

    @Test
    void retryLaterIsFencedByAttemptAndStatus() {
        Task running = claim(insertSingle());
        Task queued = insertSingle();
        Instant now = data.now();

        assertThat(tasks.retryLater(running.id(), 2, RATE_LIMITED, now, now)).isFalse();
        assertThat(tasks.retryLater(queued.id(), 0, RATE_LIMITED, now, now)).isFalse();
        assertThat(tasks.retryLater(UUID.randomUUID(), 1, RATE_LIMITED, now, now)).isFalse();
        assertThat(tasks.retryLater(running.id(), 1, RATE_LIMITED, now, now)).isTrue();
        assertThat(tasks.retryLater(running.id(), 1, RATE_LIMITED, now.plusSeconds(9), now)).isFalse();

        assertThat(find(queued)).isEqualTo(queued);
        assertThat(find(running).runAt()).isEqualTo(now);
    }

    @Test
    void handBackQueuesTheTaskForTheNextWorker() {
        Task running = claim(insertSingle());
        Instant now = data.now().plusSeconds(7);

        assertThat(tasks.handBack(running.id(), 1, now)).isTrue();

        Task queued = find(running);
        assertThat(queued.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(queued.leaseUntil()).isNull();
        assertThat(queued.workerId()).isNull();
        assertThat(queued.attempt()).isEqualTo(1);
        assertThat(enqueuedAt(running.id())).isEqualTo(now);
        assertThat(storage.events().list(running.id())).as("queued and claimed, nothing from the hand-back").hasSize(2);
        Task next = tasks.claim(running.id(), "worker-2", now.plusSeconds(60), now).join().orElseThrow();
        assertThat(next.attempt()).isEqualTo(2);
        assertThat(next.startedAt()).isEqualTo(running.startedAt());
    }

    @Test
    void handBackIsFencedByAttemptAndStatus() {
        Task running = claim(insertSingle());
        Task queued = insertSingle();
        Instant now = data.now().plusSeconds(7);

        assertThat(tasks.handBack(running.id(), 2, now)).isFalse();
        assertThat(tasks.handBack(queued.id(), 0, now)).isFalse();

        assertThat(find(running)).isEqualTo(running);
        assertThat(find(queued)).isEqualTo(queued);
        assertThat(enqueuedAt(queued.id())).isEqualTo(queued.createdAt());
    }

    private Task find(Task task) {
        return tasks.find(data.tenant, task.id()).orElseThrow();
    }
}
