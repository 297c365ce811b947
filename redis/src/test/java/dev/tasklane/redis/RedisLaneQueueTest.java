package dev.tasklane.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.port.Delivery;
import dev.tasklane.testing.TestRedis;
import io.lettuce.core.RedisException;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisLaneQueueTest extends RedisQueueTestBase {
    private static final Duration NO_BLOCK = Duration.ZERO;

    @Test
    void publishedIdsAreReadOnceAndAckedEntriesAreGone() {
        queue.createLane("gemini");
        List<UUID> ids = newIds(3);
        queue.publish("gemini", Priority.NORMAL, ids);

        List<Delivery> deliveries = queue.read("gemini", "worker-1", 10, NO_BLOCK);

        assertThat(taskIds(deliveries)).containsExactlyElementsOf(ids);
        assertThat(deliveries).allSatisfy(delivery -> {
            assertThat(delivery.lane()).isEqualTo("gemini");
            assertThat(delivery.stream()).isEqualTo(stream("gemini", "normal"));
            assertThat(delivery.payload()).isEqualTo("id=" + delivery.taskId());
            assertThat(delivery.deliveries()).isEqualTo(1);
        });
        assertThat(queue.read("gemini", "worker-1", 10, NO_BLOCK)).isEmpty();
        assertThat(redis.xpending(stream("gemini", "normal"), GROUP).getCount()).isEqualTo(3);

        queue.ack(deliveries);

        assertThat(redis.xpending(stream("gemini", "normal"), GROUP).getCount()).isZero();
        assertThat(redis.xlen(stream("gemini", "normal"))).isZero();
    }

    @Test
    void idsPublishedBeforeTheLaneWasCreatedAreDelivered() {
        List<UUID> ids = newIds(2);
        queue.publish("early", Priority.HIGH, ids);

        queue.createLane("early");

        assertThat(taskIds(queue.read("early", "worker-1", 10, NO_BLOCK))).containsExactlyElementsOf(ids);
    }

    @Test
    void connectingAReaderMakesTheLaneAndOpensItsConnectionBeforeAnyRead() {
        String readerName = prefix + ":{ready}:reader:worker-1";
        assertThat(redis.clientList()).doesNotContain(" name=" + readerName + " ");

        queue.connectReader("ready", "worker-1");

        assertThat(redis.clientList()).contains(" name=" + readerName + " ");
        assertThat(redis.xinfoGroups(stream("ready", "normal"))).hasSize(1);
        queue.publish("ready", Priority.NORMAL, newIds(1));
        assertThat(queue.read("ready", "worker-1", 10, NO_BLOCK)).hasSize(1);
    }

    @Test
    void creatingALaneAgainKeepsWhatWasDelivered() {
        queue.createLane("again");
        queue.publish("again", Priority.NORMAL, newIds(2));
        assertThat(queue.read("again", "worker-1", 10, NO_BLOCK)).hasSize(2);

        queue.createLane("again");

        assertThat(queue.read("again", "worker-1", 10, NO_BLOCK)).isEmpty();
        assertThat(redis.xpending(stream("again", "normal"), GROUP).getCount()).isEqualTo(2);
    }

    @Test
    void higherPrioritiesAreReadFirst() {
        queue.createLane("ranked");
        UUID low = UUID.randomUUID();
        UUID normal = UUID.randomUUID();
        UUID high = UUID.randomUUID();
        queue.publish("ranked", Priority.LOW, List.of(low));
        queue.publish("ranked", Priority.NORMAL, List.of(normal));
        queue.publish("ranked", Priority.HIGH, List.of(high));

        assertThat(taskIds(queue.read("ranked", "worker-1", 2, NO_BLOCK))).containsExactly(high, normal);
        assertThat(taskIds(queue.read("ranked", "worker-1", 2, NO_BLOCK))).containsExactly(low);
    }

    @Test
    void aReadReturnsAtMostMaxEntries() {
        queue.createLane("bounded");
        List<UUID> high = newIds(3);
        List<UUID> low = newIds(7);
        queue.publish("bounded", Priority.HIGH, high);
        queue.publish("bounded", Priority.LOW, low);

        List<Delivery> first = queue.read("bounded", "worker-1", 4, NO_BLOCK);
        List<Delivery> second = queue.read("bounded", "worker-1", 4, NO_BLOCK);
        List<Delivery> third = queue.read("bounded", "worker-1", 4, NO_BLOCK);

        assertThat(taskIds(first)).containsExactly(high.get(0), high.get(1), high.get(2), low.get(0));
        assertThat(taskIds(second)).containsExactlyElementsOf(low.subList(1, 5));
        assertThat(taskIds(third)).containsExactlyElementsOf(low.subList(5, 7));
    }

    @Test
    void entriesThatNameNoTaskComeBackWithoutTaskIdAndCanBeAcked() {
        queue.createLane("poison");
        String normal = stream("poison", "normal");
        redis.xadd(normal, Map.of("prompt", "hello"));
        redis.xadd(normal, Map.of("id", "not-a-uuid"));
        redis.xadd(normal, Map.of("id", "1-2-3-4-5"));

        List<Delivery> deliveries = queue.read("poison", "worker-1", 10, NO_BLOCK);

        assertThat(deliveries).extracting(Delivery::taskId).containsExactly(null, null, null);
        assertThat(deliveries).extracting(Delivery::payload)
                .containsExactly("prompt=hello", "id=not-a-uuid", "id=1-2-3-4-5");
        queue.ack(deliveries);
        assertThat(redis.xlen(normal)).isZero();
    }

    @Test
    void publishAndReadWorkAfterRedisLostTheStreams() {
        queue.createLane("amnesia");
        queue.publish("amnesia", Priority.NORMAL, newIds(1));
        queue.ack(queue.read("amnesia", "worker-1", 10, NO_BLOCK));

        deleteKeysOfThisTest();
        assertThat(redis.exists(stream("amnesia", "normal"))).isZero();
        List<UUID> ids = newIds(2);
        queue.publish("amnesia", Priority.LOW, ids);

        assertThat(taskIds(queue.read("amnesia", "worker-1", 10, NO_BLOCK))).containsExactlyElementsOf(ids);
        assertThat(redis.xpending(stream("amnesia", "low"), GROUP).getCount()).isEqualTo(2);
    }

    @Test
    void theOldestEntryIsTheFirstOneStillInTheStreamDeliveredOrNot() {
        queue.createLane("aging");
        String normal = stream("aging", "normal");
        redis.xadd(normal, new XAddArgs().id("1000-0"), Map.of("id", UUID.randomUUID().toString()));
        redis.xadd(normal, new XAddArgs().id("2000-5"), Map.of("id", UUID.randomUUID().toString()));

        assertThat(queue.oldestEntry("aging", Priority.NORMAL)).contains(Instant.ofEpochMilli(1000));
        List<Delivery> first = queue.read("aging", "worker-1", 1, NO_BLOCK);
        assertThat(queue.oldestEntry("aging", Priority.NORMAL)).contains(Instant.ofEpochMilli(1000));

        queue.ack(first);
        assertThat(queue.oldestEntry("aging", Priority.NORMAL)).contains(Instant.ofEpochMilli(2000));

        queue.ack(queue.read("aging", "worker-1", 1, NO_BLOCK));
        assertThat(queue.oldestEntry("aging", Priority.NORMAL)).isEmpty();
    }

    @Test
    void theOldestEntryOfAMissingOrEmptyStreamIsEmpty() {
        assertThat(queue.oldestEntry("never-created", Priority.HIGH)).isEmpty();

        queue.createLane("quiet");
        Instant beforePublish = Instant.now().minusSeconds(1);
        queue.publish("quiet", Priority.HIGH, newIds(1));

        assertThat(queue.oldestEntry("quiet", Priority.NORMAL)).isEmpty();
        assertThat(queue.oldestEntry("quiet", Priority.HIGH)).hasValueSatisfying(added ->
                assertThat(added).isBetween(beforePublish, Instant.now().plusSeconds(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o:mini", "with space", "{braced}", "a}b{c", "模型/ünï", "*?[glob]", "line\nbreak"})
    void laneNamesWithOddCharactersWork(String lane) {
        queue.createLane(lane);
        UUID id = UUID.randomUUID();
        queue.publish(lane, Priority.NORMAL, List.of(id));

        List<Delivery> deliveries = queue.read(lane, "worker 1", 10, NO_BLOCK);

        assertThat(deliveries).singleElement().satisfies(delivery -> {
            assertThat(delivery.taskId()).isEqualTo(id);
            assertThat(delivery.lane()).isEqualTo(lane);
            assertThat(delivery.stream()).isEqualTo(stream(lane, "normal"));
        });
        queue.ack(deliveries);
        assertThat(redis.xlen(stream(lane, "normal"))).isZero();
        assertThat(List.of(stream(lane, "high"), stream(lane, "low")))
                .allSatisfy(key -> assertThat(SlotHash.getSlot(key)).isEqualTo(SlotHash.getSlot(stream(lane, "normal"))));
    }

    @Test
    void anEmptyLaneNameIsRefused() {
        assertThatThrownBy(() -> queue.createLane("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.publish("", Priority.HIGH, newIds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReadOfNothingOrANegativeBlockIsRefused() {
        assertThatThrownBy(() -> queue.read("lane", "worker-1", 0, NO_BLOCK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.read("lane", "worker-1", 1, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void awaitingNewEntriesTakesNoMoreThanAskedAndLeavesTheRestForTheNextRead() {
        queue.createLane("awaited");
        List<UUID> ids = newIds(3);
        queue.publish("awaited", Priority.NORMAL, ids);

        List<Delivery> woken = queue.awaitNew("awaited", "worker-1", 2, Duration.ofSeconds(5));

        assertThat(taskIds(woken)).containsExactlyElementsOf(ids.subList(0, 2));
        assertThat(taskIds(queue.read("awaited", "worker-1", 10, NO_BLOCK))).containsExactly(ids.get(2));
        assertThat(queue.awaitNew("awaited", "worker-1", 10, Duration.ofMillis(50))).isEmpty();
    }

    @Test
    void anAwaitWithoutABlockIsRefused() {
        assertThatThrownBy(() -> queue.awaitNew("lane", "worker-1", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.awaitNew("lane", "worker-1", 0, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pingPassesWhenRedisAnswers() {
        queue.ping();
    }

    @Test
    void pingThrowsWhenRedisCannotBeReached() throws IOException {
        try (RedisLaneQueue unreachable = new RedisLaneQueue("redis://127.0.0.1:" + TestRedis.freePort(), prefix)) {
            assertThatThrownBy(unreachable::ping).isInstanceOf(RedisException.class);
        }
    }

    @Test
    void aClosedQueueRefusesWork() {
        queue.close();

        assertThatThrownBy(queue::ping).isInstanceOf(IllegalStateException.class);
    }
}
