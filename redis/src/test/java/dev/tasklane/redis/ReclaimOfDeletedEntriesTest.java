package dev.tasklane.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.port.Delivery;
import dev.tasklane.testing.PrivateRedis;
import dev.tasklane.testing.TestRedis;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Entries deleted while pending come back from XAUTOCLAIM differently on Redis 7 (named apart,
 * already gone from the pending list) and on Redis 6.2 (a nil, still pending for the claimer).
 * The same scenario runs on the shared test Redis and on a private embedded one (6.2), so the
 * 6.2 reply is covered even when the build's Redis is newer.
 */
class ReclaimOfDeletedEntriesTest {
    private static final String GROUP = "tasklane";
    private static final Duration MIN_IDLE = Duration.ofMillis(50);

    private static PrivateRedis embedded;

    @BeforeAll
    static void startEmbedded() {
        embedded = PrivateRedis.startOnFreePort();
    }

    @AfterAll
    static void stopEmbedded() {
        embedded.close();
    }

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("shared", TestRedis.url()), Arguments.of("embedded", embedded.url()));
    }

    @ParameterizedTest(name = "{0} Redis")
    @MethodSource("servers")
    void entriesDeletedWhilePendingLeaveThePendingListAndAreNotReturned(String server, String url) {
        String prefix = TestRedis.newPrefix("deleted");
        String normal = prefix + ":{gone}:normal";
        RedisClient client = RedisClient.create(url);
        RedisCommands<String, String> redis = client.connect().sync();
        try (RedisLaneQueue queue = new RedisLaneQueue(url, prefix)) {
            queue.createLane("gone");
            List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            queue.publish("gone", Priority.NORMAL, ids);
            List<Delivery> stalled = queue.read("gone", "worker-1", 2, Duration.ZERO);
            redis.xdel(normal, stalled.get(0).entryId());
            awaitIdle(redis, normal);
            // Pending for the claimer itself and not idle: in the scanned range, but neither claimed nor dropped.
            Delivery inFlight = queue.read("gone", "worker-2", 1, Duration.ZERO).getFirst();

            List<Delivery> reclaimed = queue.reclaim("gone", "worker-2", MIN_IDLE, 10);

            assertThat(reclaimed).singleElement().satisfies(delivery -> {
                assertThat(delivery.taskId()).isEqualTo(ids.get(1));
                assertThat(delivery.deliveries()).isEqualTo(2);
            });
            List<PendingMessage> pending = redis.xpending(normal, GROUP, Range.create("-", "+"), Limit.from(10));
            assertThat(pending).extracting(PendingMessage::getId).containsExactly(stalled.get(1).entryId(), inFlight.entryId());
            assertThat(pending).extracting(PendingMessage::getConsumer).containsOnly("worker-2");
            assertThat(pending.get(1).getRedeliveryCount()).isEqualTo(1);
        } finally {
            redis.del(prefix + ":{gone}:high", normal, prefix + ":{gone}:low");
            client.shutdown();
        }
    }

    private static void awaitIdle(RedisCommands<String, String> redis, String stream) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!redis.xpending(stream, GROUP, Range.create("-", "+"), Limit.from(10)).stream()
                .allMatch(entry -> entry.getMsSinceLastDelivery() >= MIN_IDLE.toMillis())) {
            assertThat(System.nanoTime()).as("pending entries idle for %s", MIN_IDLE).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
