package dev.tasklane.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.testing.PrivateRedis;
import dev.tasklane.testing.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisCancelSignalsTest {
    private static RedisClient client;
    private static RedisCommands<String, String> redis;

    private String channel;
    /** The subscribing process. */
    private RedisCancelSignals worker;
    /** Another process, which publishes. */
    private RedisCancelSignals api;

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestRedis.url());
        redis = client.connect().sync();
    }

    @AfterAll
    static void disconnect() {
        client.shutdown();
    }

    @BeforeEach
    void openSignals() {
        String prefix = TestRedis.newPrefix("cancel");
        // The channel name, written out here rather than taken from the code under test.
        channel = prefix + ":cancel";
        worker = new RedisCancelSignals(TestRedis.url(), prefix);
        api = new RedisCancelSignals(TestRedis.url(), prefix);
    }

    @AfterEach
    void closeSignals() {
        worker.close();
        api.close();
    }

    @Test
    void aSignalReachesEverySubscriberOverOneSubscription() throws Exception {
        BlockingQueue<UUID> first = new LinkedBlockingQueue<>();
        BlockingQueue<UUID> second = new LinkedBlockingQueue<>();
        worker.subscribe(first::add);
        worker.subscribe(second::add);
        UUID cancelled = UUID.randomUUID();

        api.publish(cancelled);

        assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo(cancelled);
        assertThat(second.poll(10, TimeUnit.SECONDS)).isEqualTo(cancelled);
        assertThat(subscribers()).isEqualTo(1);
    }

    @Test
    void aClosedSubscriptionGetsNoMoreSignalsAndTheLastOneUnsubscribes() throws Exception {
        BlockingQueue<UUID> closed = new LinkedBlockingQueue<>();
        BlockingQueue<UUID> open = new LinkedBlockingQueue<>();
        AutoCloseable closedHandle = worker.subscribe(closed::add);
        AutoCloseable openHandle = worker.subscribe(open::add);

        closedHandle.close();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        api.publish(first);
        api.publish(second);

        // Signals are handed out in order, so once the second arrived the first was handed out to all.
        assertThat(open.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
        assertThat(open.poll(10, TimeUnit.SECONDS)).isEqualTo(second);
        assertThat(closed).isEmpty();
        assertThat(subscribers()).isEqualTo(1);

        openHandle.close();
        openHandle.close();
        assertThat(subscribers()).isZero();
    }

    @Test
    void aThrowingListenerDoesNotKeepSignalsFromTheOthers() throws Exception {
        BlockingQueue<UUID> received = new LinkedBlockingQueue<>();
        worker.subscribe(taskId -> {
            throw new IllegalStateException("listener failure for " + taskId);
        });
        worker.subscribe(received::add);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        api.publish(first);
        api.publish(second);

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(first);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(second);
    }

    @Test
    void aSubscriptionClosedWhileASignalIsBeingHandedOutDoesNotGetIt() throws Exception {
        BlockingQueue<UUID> first = new LinkedBlockingQueue<>();
        BlockingQueue<UUID> closed = new LinkedBlockingQueue<>();
        CountDownLatch handingOut = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        worker.subscribe(taskId -> {
            first.add(taskId);
            handingOut.countDown();
            awaitUninterruptibly(goOn);
        });
        AutoCloseable closedHandle = worker.subscribe(closed::add);
        UUID cancelled = UUID.randomUUID();
        UUID later = UUID.randomUUID();

        api.publish(cancelled);
        assertThat(handingOut.await(10, TimeUnit.SECONDS)).isTrue();
        closedHandle.close();
        goOn.countDown();
        api.publish(later);

        assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo(cancelled);
        assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo(later);
        assertThat(closed).isEmpty();
    }

    @Test
    void aMessageThatNamesNoTaskIsIgnored() throws Exception {
        BlockingQueue<UUID> received = new LinkedBlockingQueue<>();
        worker.subscribe(received::add);
        UUID cancelled = UUID.randomUUID();

        redis.publish(channel, "not-a-task");
        api.publish(cancelled);

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(cancelled);
        assertThat(received).isEmpty();
    }

    @Test
    void subscribersHearSignalsAgainOnceRedisIsBack() throws Exception {
        try (PrivateRedis privateRedis = PrivateRedis.startOnFreePort();
             RedisCancelSignals subscriber = new RedisCancelSignals(privateRedis.url(), "tl");
             RedisCancelSignals publisher = new RedisCancelSignals(privateRedis.url(), "tl")) {
            BlockingQueue<UUID> received = new LinkedBlockingQueue<>();
            subscriber.subscribe(received::add);

            privateRedis.stop();
            privateRedis.start();

            // Until Lettuce has reconnected and subscribed again, signals are lost or refused.
            UUID cancelled = UUID.randomUUID();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            UUID heard = null;
            while (heard == null && System.nanoTime() < deadline) {
                try {
                    publisher.publish(cancelled);
                } catch (RedisException reconnecting) {
                    // the publisher's connection is still reconnecting
                }
                heard = received.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(heard).isEqualTo(cancelled);
        }
    }

    @Test
    void subscribingThrowsWhenRedisCannotBeReached() throws IOException {
        try (RedisCancelSignals unreachable = new RedisCancelSignals("redis://127.0.0.1:" + TestRedis.freePort(), "tl")) {
            assertThatThrownBy(() -> unreachable.subscribe(taskId -> {})).isInstanceOf(RedisException.class);
            assertThatThrownBy(() -> unreachable.publish(UUID.randomUUID())).isInstanceOf(RedisException.class);
        }
    }

    @Test
    void closedSignalsRefuseWork() {
        worker.close();

        assertThatThrownBy(() -> worker.publish(UUID.randomUUID())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> worker.subscribe(taskId -> {})).isInstanceOf(IllegalStateException.class);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long subscribers() {
        return redis.pubsubNumsub(channel).get(channel);
    }
}
