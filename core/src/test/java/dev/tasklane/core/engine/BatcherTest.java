package dev.tasklane.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatcherTest {

    @Test
    void anItemThatComesAloneIsDeliveredAtOnceWithoutClose() throws InterruptedException {
        CountDownLatch delivered = new CountDownLatch(1);
        try (Batcher<String> batcher = new Batcher<>("alone", 10, batch -> delivered.countDown())) {
            batcher.add("a");
            assertThat(delivered.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void whatQueuesWhileTheSinkIsBusyGoesTogetherUpToTheBatchSize() throws InterruptedException {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        try (Batcher<Integer> batcher = new Batcher<>("busy", 4, batch -> {
            batches.add(batch);
            firstStarted.countDown();
            awaitQuietly(release);
        })) {
            batcher.add(0);
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            batcher.addAll(IntStream.rangeClosed(1, 6).boxed().toList());
            release.countDown();
        }
        assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6));
    }

    @Test
    void aFailingBatchIsDroppedAndLaterOnesStillGo() {
        List<String> delivered = new ArrayList<>();
        try (Batcher<String> batcher = new Batcher<>("failing", 1, batch -> {
            if (batch.contains("bad")) {
                throw new IllegalStateException("redis down");
            }
            delivered.addAll(batch);
        })) {
            batcher.add("bad");
            batcher.add("good");
        }
        assertThat(delivered).containsExactly("good");
    }

    @Test
    void closeDeliversEverythingAddedBefore() {
        List<Integer> delivered = new CopyOnWriteArrayList<>();
        Batcher<Integer> batcher = new Batcher<>("closing", 7, delivered::addAll);
        IntStream.range(0, 100).forEach(batcher::add);
        batcher.close();
        assertThat(delivered).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
