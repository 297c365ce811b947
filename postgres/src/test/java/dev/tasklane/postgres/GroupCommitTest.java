package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.postgres.GroupCommit.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who writes a group's batches: its writer, and under a burst one writer more. */
class GroupCommitTest extends StorageTestBase {
    private static final int MAX_BATCH = 10;

    @Test
    void aBurstOfAWholeBatchIsWrittenWhileTheWriterIsStillBusy() throws Exception {
        CountDownLatch firstBatchHeld = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean(true);
        try (GroupCommit<Integer, String> group = group((items) -> {
            if (holding.compareAndSet(true, false)) {
                firstBatchHeld.countDown();
                releaseFirst.await();
            }
        })) {
            Thread first = Thread.ofVirtual().start(() -> group.submit(0));
            assertThat(firstBatchHeld.await(10, TimeUnit.SECONDS)).isTrue();

            CountDownLatch burstDone = new CountDownLatch(MAX_BATCH);
            List<String> writers = new ArrayList<>();
            for (int i = 1; i <= MAX_BATCH; i++) {
                int item = i;
                Thread.ofVirtual().start(() -> {
                    String writer = group.submit(item);
                    synchronized (writers) {
                        writers.add(writer);
                    }
                    burstDone.countDown();
                });
            }

            assertThat(burstDone.await(10, TimeUnit.SECONDS)).as("written while the first writer is held").isTrue();
            assertThat(writers).containsOnly("group-commit-test-burst");
            releaseFirst.countDown();
            first.join();
        }
    }

    @Test
    @Timeout(30) // an ask that waited for its answer would wait here for the held writer for ever
    void itemsAskedForWithoutWaitingShareTheNextBatch() throws Exception {
        CountDownLatch firstBatchHeld = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean(true);
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        try (GroupCommit<Integer, String> group = group((items) -> {
            batchSizes.add(items.size());
            if (holding.compareAndSet(true, false)) {
                firstBatchHeld.countDown();
                releaseFirst.await();
            }
        })) {
            CompletableFuture<String> first = group.submitAsync(0);
            assertThat(firstBatchHeld.await(10, TimeUnit.SECONDS)).isTrue();
            // fewer than a whole batch, so the burst writer leaves them to the held writer
            List<CompletableFuture<String>> rest = IntStream.range(1, MAX_BATCH)
                    .mapToObj(group::submitAsync).toList();
            assertThat(rest).as("asked for while the writer is held").noneMatch(CompletableFuture::isDone);

            releaseFirst.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("group-commit-test-0");
            for (CompletableFuture<String> answer : rest) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("group-commit-test-0");
            }
            assertThat(batchSizes).containsExactly(1, MAX_BATCH - 1);
        }
    }

    @Test
    void callersOneAtATimeAreAllWrittenByTheWriter() {
        try (GroupCommit<Integer, String> group = group(items -> { })) {
            for (int i = 0; i < 3 * MAX_BATCH; i++) {
                assertThat(group.submit(i)).isEqualTo("group-commit-test-0");
            }
        }
    }

    @Test
    @Timeout(30)
    void aGroupThatGivesWayWritesOnlyOnceTheOthersItemsAreAnswered() throws Exception {
        CountDownLatch otherHeld = new CountDownLatch(1);
        CountDownLatch releaseOther = new CountDownLatch(1);
        try (GroupCommit<Integer, String> other = holding(otherHeld, releaseOther);
             GroupCommit<Integer, String> givingWay = givingWayTo(other, Duration.ofMinutes(1))) {
            CompletableFuture<String> first = other.submitAsync(0);
            assertThat(otherHeld.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicBoolean otherAnsweredWhenWritten = new AtomicBoolean();
            CompletableFuture<String> waiting = givingWay.submitAsync(1)
                    .whenComplete((answer, failure) -> otherAnsweredWhenWritten.set(first.isDone()));

            // released once the giving writer waits (or, were it not to wait, once it has written)
            awaitWaitingOrDone("group-commit-giving-0", waiting);
            releaseOther.countDown();

            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("group-commit-giving-0");
            assertThat(otherAnsweredWhenWritten).as("written after the other group's item was answered").isTrue();
        }
    }

    @Test
    @Timeout(30)
    void aGroupGivesWayNoLongerThanItsBound() throws Exception {
        CountDownLatch otherHeld = new CountDownLatch(1);
        CountDownLatch releaseOther = new CountDownLatch(1);
        try (GroupCommit<Integer, String> other = holding(otherHeld, releaseOther);
             GroupCommit<Integer, String> givingWay = givingWayTo(other, Duration.ofMillis(100))) {
            other.submitAsync(0);
            assertThat(otherHeld.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(givingWay.submitAsync(1).get(10, TimeUnit.SECONDS)).as("written while the other is held")
                    .isEqualTo("group-commit-giving-0");
            releaseOther.countDown();
        }
    }

    /** Polls the writer's stack until it waits to give way, or the item was answered without waiting. */
    private static void awaitWaitingOrDone(String writer, CompletableFuture<?> item) throws InterruptedException {
        while (!item.isDone() && !waitsToGiveWay(writer)) {
            Thread.sleep(5);
        }
    }

    private static boolean waitsToGiveWay(String writer) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals(writer))
                .flatMap(e -> Arrays.stream(e.getValue()))
                .anyMatch(frame -> frame.getMethodName().equals("awaitAnswered"));
    }

    /** A group whose every write reports itself through {@code held} and waits for {@code release}. */
    private GroupCommit<Integer, String> holding(CountDownLatch held, CountDownLatch release) {
        return group(items -> {
            held.countDown();
            release.await();
        });
    }

    private GroupCommit<Integer, String> givingWayTo(GroupCommit<?, ?> other, Duration most) {
        Database db = new Database(storage.dataSource());
        return new GroupCommit<>(db, "giving", 1, MAX_BATCH, Transaction.AUTO_COMMIT,
                (c, items) -> items.stream().map(i -> Thread.currentThread().getName()).toList(), other, most);
    }

    @FunctionalInterface
    private interface Hook {
        void beforeWriting(List<Integer> items) throws InterruptedException;
    }

    /** A group of one writer whose write answers each item with the name of the thread that wrote it. */
    private GroupCommit<Integer, String> group(Hook hook) {
        Database db = new Database(storage.dataSource());
        return new GroupCommit<>(db, "test", 1, MAX_BATCH, Transaction.AUTO_COMMIT, (c, items) -> {
            try {
                hook.beforeWriting(items);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return items.stream().map(i -> Thread.currentThread().getName()).toList();
        });
    }
}
