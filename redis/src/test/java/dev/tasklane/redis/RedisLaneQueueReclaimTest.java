package dev.tasklane.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.port.Delivery;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RedisLaneQueueReclaimTest extends RedisQueueTestBase {
    private static final Duration NO_BLOCK = Duration.ZERO;
    private static final Duration MIN_IDLE = Duration.ofMillis(50);

    @Test
    void onlyEntriesIdleForMinIdleAreTakenAndTheyChangeOwner() {
        // Long enough that the fresh entry cannot reach it between its read and the reclaim.
        Duration minIdle = Duration.ofMillis(300);
        queue.createLane("stalled");
        String normal = stream("stalled", "normal");
        UUID stale = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        queue.publish("stalled", Priority.NORMAL, List.of(stale));
        queue.read("stalled", "worker-1", 10, NO_BLOCK);
        awaitPendingIdle(minIdle, normal);
        queue.publish("stalled", Priority.NORMAL, List.of(fresh));
        queue.read("stalled", "worker-1", 10, NO_BLOCK);

        List<Delivery> reclaimed = queue.reclaim("stalled", "worker-2", minIdle, 10);

        assertThat(reclaimed).singleElement().satisfies(delivery -> {
            assertThat(delivery.taskId()).isEqualTo(stale);
            assertThat(delivery.lane()).isEqualTo("stalled");
            assertThat(delivery.stream()).isEqualTo(normal);
            assertThat(delivery.payload()).isEqualTo("id=" + stale);
            assertThat(delivery.deliveries()).isEqualTo(2);
        });
        assertThat(pending(normal)).extracting(PendingMessage::getConsumer).containsExactly("worker-2", "worker-1");
    }

    @Test
    void theDeliveryCountGrowsWithEveryTakeover() {
        queue.createLane("flaky");
        String normal = stream("flaky", "normal");
        queue.publish("flaky", Priority.NORMAL, newIds(1));
        assertThat(queue.read("flaky", "worker-1", 10, NO_BLOCK)).extracting(Delivery::deliveries).containsExactly(1L);

        awaitPendingIdle(MIN_IDLE, normal);
        assertThat(queue.reclaim("flaky", "worker-2", MIN_IDLE, 10)).extracting(Delivery::deliveries).containsExactly(2L);
        awaitPendingIdle(MIN_IDLE, normal);
        assertThat(queue.reclaim("flaky", "worker-3", MIN_IDLE, 10)).extracting(Delivery::deliveries).containsExactly(3L);

        assertThat(pending(normal)).singleElement().satisfies(entry -> {
            assertThat(entry.getConsumer()).isEqualTo("worker-3");
            assertThat(entry.getRedeliveryCount()).isEqualTo(3);
        });
    }

    @Test
    void aReclaimTakesAtMostMaxHigherPrioritiesFirst() {
        queue.createLane("ranked");
        List<UUID> low = newIds(2);
        List<UUID> normal = newIds(3);
        List<UUID> high = newIds(2);
        // Published lowest first, so the entry ids run against the priorities.
        queue.publish("ranked", Priority.LOW, low);
        queue.publish("ranked", Priority.NORMAL, normal);
        queue.publish("ranked", Priority.HIGH, high);
        assertThat(queue.read("ranked", "worker-1", 10, NO_BLOCK)).hasSize(7);
        awaitPendingIdle(MIN_IDLE, stream("ranked", "high"), stream("ranked", "normal"), stream("ranked", "low"));

        List<Delivery> first = queue.reclaim("ranked", "worker-2", MIN_IDLE, 4);
        List<Delivery> second = queue.reclaim("ranked", "worker-2", MIN_IDLE, 10);

        assertThat(taskIds(first)).containsExactly(high.get(0), high.get(1), normal.get(0), normal.get(1));
        assertThat(taskIds(second)).containsExactly(normal.get(2), low.get(0), low.get(1));
        assertThat(queue.reclaim("ranked", "worker-2", MIN_IDLE, 10)).isEmpty();
    }

    @Test
    void aReclaimGoesOnWhereThePreviousOneStoppedAndStartsOverAfterTheEnd() {
        queue.createLane("rotating");
        String normal = stream("rotating", "normal");
        List<UUID> ids = newIds(2);
        queue.publish("rotating", Priority.NORMAL, ids);
        queue.read("rotating", "worker-1", 10, NO_BLOCK);
        awaitPendingIdle(MIN_IDLE, normal);

        assertThat(taskIds(queue.reclaim("rotating", "worker-2", MIN_IDLE, 1))).containsExactly(ids.get(0));
        awaitPendingIdle(MIN_IDLE, normal);
        // The first entry is idle again, but the scan continues behind it.
        assertThat(taskIds(queue.reclaim("rotating", "worker-2", MIN_IDLE, 1))).containsExactly(ids.get(1));
        awaitPendingIdle(MIN_IDLE, normal);
        assertThat(queue.reclaim("rotating", "worker-2", MIN_IDLE, 1)).singleElement().satisfies(delivery -> {
            assertThat(delivery.taskId()).isEqualTo(ids.get(0));
            assertThat(delivery.deliveries()).isEqualTo(3);
        });
    }

    @Test
    void aScanThatBeganMidwayGoesOnFromTheStartWithinOneReclaim() {
        queue.createLane("wrapping");
        String normal = stream("wrapping", "normal");
        List<UUID> ids = newIds(3);
        queue.publish("wrapping", Priority.NORMAL, ids);
        queue.read("wrapping", "worker-1", 10, NO_BLOCK);
        awaitPendingIdle(MIN_IDLE, normal);
        assertThat(taskIds(queue.reclaim("wrapping", "worker-2", MIN_IDLE, 2))).containsExactly(ids.get(0), ids.get(1));
        awaitPendingIdle(MIN_IDLE, normal);

        assertThat(taskIds(queue.reclaim("wrapping", "worker-3", MIN_IDLE, 10)))
                .containsExactly(ids.get(2), ids.get(0), ids.get(1));
    }

    @Test
    void reclaimedEntriesThatNameNoTaskComeBackWithoutTaskId() {
        queue.createLane("poison");
        String low = stream("poison", "low");
        redis.xadd(low, Map.of("prompt", "hello", "id", "1-2-3-4-5"));
        queue.read("poison", "worker-1", 10, NO_BLOCK);
        awaitPendingIdle(MIN_IDLE, low);

        assertThat(queue.reclaim("poison", "worker-2", MIN_IDLE, 10)).singleElement().satisfies(delivery -> {
            assertThat(delivery.taskId()).isNull();
            assertThat(delivery.payload()).contains("prompt=hello").contains("id=1-2-3-4-5");
        });
    }

    @Test
    void aLaneWithoutStreamsHasNothingToReclaim() {
        assertThat(queue.reclaim("never-created", "worker-1", Duration.ZERO, 10)).isEmpty();

        queue.createLane("forgotten");
        queue.publish("forgotten", Priority.HIGH, newIds(2));
        queue.read("forgotten", "worker-1", 1, NO_BLOCK);
        assertThat(queue.reclaim("forgotten", "worker-2", Duration.ZERO, 1)).hasSize(1);
        deleteKeysOfThisTest();

        assertThat(queue.reclaim("forgotten", "worker-2", Duration.ZERO, 10)).isEmpty();
        assertThat(redis.exists(stream("forgotten", "high"))).isZero();
    }

    @Test
    void aReclaimOfNothingOrWithANegativeIdleIsRefused() {
        assertThatThrownBy(() -> queue.reclaim("lane", "worker-1", MIN_IDLE, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.reclaim("lane", "worker-1", Duration.ofMillis(-1), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<PendingMessage> pending(String stream) {
        return redis.xpending(stream, GROUP, Range.create("-", "+"), Limit.from(100));
    }
}
