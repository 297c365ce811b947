package dev.tasklane.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.port.Delivery;
import dev.tasklane.testing.TestRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh queue under a key prefix of its own for every test, and a plain connection
 * ({@link #redis}) to look at and tamper with the streams behind the queue's back.
 */
abstract class RedisQueueTestBase {
    static final String GROUP = "tasklane";

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    static RedisCommands<String, String> redis;

    String prefix;
    RedisLaneQueue queue;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestRedis.url());
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void disconnect() {
        connection.close();
        client.shutdown();
    }

    @BeforeEach
    void openQueue() {
        prefix = TestRedis.newPrefix("queue");
        queue = new RedisLaneQueue(TestRedis.url(), prefix);
    }

    @AfterEach
    void closeQueueAndDeleteKeys() {
        queue.close();
        deleteKeysOfThisTest();
    }

    /** Deletes every key under this test's prefix, as if Redis had lost them. */
    void deleteKeysOfThisTest() {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(500));
            if (!page.getKeys().isEmpty()) {
                redis.del(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** The key layout, written out here rather than taken from the code under test. */
    String stream(String lane, String priority) {
        return prefix + ":{" + lane + "}:" + priority;
    }

    /** Polls until every entry pending in these streams has been idle for at least {@code idle}, by Redis's clock. */
    static void awaitPendingIdle(Duration idle, String... streams) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Arrays.stream(streams).allMatch(stream -> redis.xpending(stream, GROUP, Range.create("-", "+"), Limit.from(1_000))
                .stream().allMatch(entry -> entry.getMsSinceLastDelivery() >= idle.toMillis()))) {
            assertThat(System.nanoTime()).as("pending entries idle for %s", idle).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    static List<UUID> newIds(int count) {
        return Stream.generate(UUID::randomUUID).limit(count).toList();
    }

    static List<UUID> taskIds(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::taskId).toList();
    }
}
