package dev.tasklane.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.port.Delivery;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisLaneQueueConcurrencyTest extends RedisQueueTestBase {
    /** Far longer than any test here may take, so a read that returns did not just time out. */
    private static final Duration LONG_BLOCK = Duration.ofSeconds(30);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void twoConsumersSplitTheEntriesWithoutOverlapOrLoss() throws Exception {
        queue.createLane("shared");
        List<UUID> published = newIds(1_000);
        queue.publish("shared", Priority.NORMAL, published.subList(0, 500));
        queue.publish("shared", Priority.HIGH, published.subList(500, 1_000));
        CountDownLatch start = new CountDownLatch(1);

        Future<List<UUID>> first = threads.submit(() -> drain("shared", "worker-1", start));
        Future<List<UUID>> second = threads.submit(() -> drain("shared", "worker-2", start));
        start.countDown();
        List<UUID> readByFirst = first.get(10, TimeUnit.SECONDS);
        List<UUID> readBySecond = second.get(10, TimeUnit.SECONDS);

        Set<UUID> readByBoth = new HashSet<>(readByFirst);
        readByBoth.retainAll(readBySecond);
        assertThat(readByBoth).isEmpty();
        List<UUID> all = new ArrayList<>(readByFirst);
        all.addAll(readBySecond);
        assertThat(all).hasSize(1_000).containsExactlyInAnyOrderElementsOf(published);
        assertThat(pendingFor("shared", "worker-1")).isEqualTo(readByFirst.size());
        assertThat(pendingFor("shared", "worker-2")).isEqualTo(readBySecond.size());
    }

    private List<UUID> drain(String lane, String consumer, CountDownLatch start) throws InterruptedException {
        start.await();
        List<UUID> read = new ArrayList<>();
        List<Delivery> batch;
        while (!(batch = queue.read(lane, consumer, 20, Duration.ZERO)).isEmpty()) {
            read.addAll(taskIds(batch));
        }
        return read;
    }

    private long pendingFor(String lane, String consumer) {
        return List.of("high", "normal", "low").stream()
                .mapToLong(priority -> redis.xpending(stream(lane, priority), Consumer.from(GROUP, consumer),
                        Range.create("-", "+"), Limit.from(2_000)).size())
                .sum();
    }

    @Test
    void aBlockedReadDelaysNoOtherCallerAndWakesWhenAnEntryArrives() throws Exception {
        queue.createLane("idle");
        queue.createLane("busy");
        long readStarted = System.nanoTime();
        Future<List<Delivery>> blockedRead = threads.submit(() -> queue.read("idle", "worker-1", 5, LONG_BLOCK));
        awaitBlockedInRedis(new LaneKeys(prefix).readerClientName("idle", "worker-1"));

        queue.publish("busy", Priority.NORMAL, newIds(3));
        queue.ack(queue.read("busy", "worker-2", 10, Duration.ZERO));
        queue.ping();

        assertThat(blockedRead).isNotDone();
        assertThat(redis.xlen(stream("busy", "normal"))).isZero();

        UUID wakeUp = UUID.randomUUID();
        queue.publish("idle", Priority.LOW, List.of(wakeUp));

        assertThat(taskIds(blockedRead.get(10, TimeUnit.SECONDS))).containsExactly(wakeUp);
        assertThat(Duration.ofNanos(System.nanoTime() - readStarted)).isLessThan(LONG_BLOCK);
    }

    @Test
    void aBlockedReadWokenOnSeveralStreamsAtOnceReturnsAtMostMaxAndLosesNone() throws Exception {
        queue.createLane("burst");
        Future<List<Delivery>> blockedRead = threads.submit(() -> queue.read("burst", "worker-1", 1, LONG_BLOCK));
        awaitBlockedInRedis(new LaneKeys(prefix).readerClientName("burst", "worker-1"));
        UUID high = UUID.randomUUID();
        UUID low = UUID.randomUUID();

        // One transaction makes two streams ready before Redis serves the blocked read. Redis 7.2+
        // then re-runs the read over all its streams and returns one entry from each; older
        // versions serve the first ready stream only, so there this passes without carrying over.
        redis.multi();
        redis.xadd(stream("burst", "high"), Map.of("id", high.toString()));
        redis.xadd(stream("burst", "low"), Map.of("id", low.toString()));
        redis.exec();

        assertThat(taskIds(blockedRead.get(10, TimeUnit.SECONDS))).containsExactly(high);
        assertThat(taskIds(queue.read("burst", "worker-1", 1, Duration.ZERO))).containsExactly(low);
        assertThat(queue.read("burst", "worker-1", 1, Duration.ZERO)).isEmpty();
    }

    /**
     * Waits until the named connection sits in a blocking command on the server (flag b in
     * CLIENT LIST): only then does the test show that other callers do not queue behind it.
     */
    private static void awaitBlockedInRedis(String clientName) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!isBlocked(clientName)) {
            assertThat(System.nanoTime()).as("%s blocked in Redis", clientName).isLessThan(deadline);
        }
    }

    private static boolean isBlocked(String clientName) {
        return redis.clientList().lines()
                .filter(line -> line.contains(" name=" + clientName + " "))
                .anyMatch(line -> line.matches(".* flags=[a-zA-Z]*b.*"));
    }
}
