package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskEvent;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.port.TaskStore;
import dev.tasklane.core.port.TaskStore.Cancellation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CancellationTest extends StorageTestBase {

    private static final TaskError CANCELLED = new TaskError("cancelled", "cancelled by a client", false);
    private static final TaskResult ANSWER = new TaskResult("42", null, null, null, "node-a");

    private TaskStore tasks;

    @BeforeEach
    void stores() {
        tasks = storage.tasks();
    }

    @Test
    void aQueuedTaskIsCancelled() {
        assertCancels(insertSingle(), TaskStatus.QUEUED);
    }

    @Test
    void aRunningTaskIsCancelledAndItsAttemptLosesItsFence() {
        Task running = claim(insertSingle());

        assertCancels(running, TaskStatus.RUNNING);

        assertThat(tasks.complete(running.id(), 1, ANSWER, data.now()).join()).isFalse();
        assertThat(tasks.renewLeases(Map.of(running.id(), 1), data.now().plusSeconds(60))).isEmpty();
    }

    @Test
    void aScheduledTaskIsCancelled() {
        Task running = claim(insertSingle());
        assertThat(tasks.retryLater(running.id(), 1, new TaskError("timeout", "slow", true),
                data.now().plusSeconds(30), data.now())).isTrue();

        assertCancels(running, TaskStatus.SCHEDULED);
    }

    @Test
    void anEndedTaskStaysAsItIs() {
        Task succeeded = claim(insertSingle());
        assertThat(tasks.complete(succeeded.id(), 1, ANSWER, data.now()).join()).isTrue();
        Task failed = claim(insertSingle());
        assertThat(tasks.fail(failed.id(), 1, new TaskError("bad_output", "no json", false), data.now())).isTrue();
        Task cancelled = insertSingle();
        tasks.cancel(data.tenant, cancelled.id(), data.now());

        for (Task task : List.of(succeeded, failed, cancelled)) {
            Task ended = tasks.find(data.tenant, task.id()).orElseThrow();
            int events = storage.events().list(task.id()).size();

            Cancellation outcome = tasks.cancel(data.tenant, task.id(), data.now().plusSeconds(5)).orElseThrow();

            assertThat(outcome).isEqualTo(new Cancellation(ended, ended.status(), false));
            assertThat(tasks.find(data.tenant, task.id())).contains(ended);
            assertThat(storage.events().list(task.id())).hasSize(events);
        }
    }

    @Test
    void anUnknownOrForeignTaskIsNotFound() {
        Task task = insertSingle();

        assertThat(tasks.cancel("someone-else", task.id(), data.now())).isEmpty();
        assertThat(tasks.cancel(data.tenant, UUID.randomUUID(), data.now())).isEmpty();
        assertThat(tasks.find(data.tenant, task.id())).contains(task);
    }

    @Test
    void cancelAndCompleteRacingNeverBothWin() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 50; i++) {
                Task running = claim(insertSingle());
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Cancellation> cancel = pool.submit(() -> {
                    together.await();
                    return tasks.cancel(data.tenant, running.id(), data.now()).orElseThrow();
                });
                Future<Boolean> complete = pool.submit(() -> {
                    together.await();
                    return tasks.complete(running.id(), 1, ANSWER, data.now()).join();
                });

                Cancellation outcome = cancel.get();
                Task after = tasks.find(data.tenant, running.id()).orElseThrow();
                assertThat(outcome.cancelled()).as("race %d", i).isNotEqualTo(complete.get());
                assertThat(outcome.task()).isEqualTo(after);
                TaskStatus winner = outcome.cancelled() ? TaskStatus.CANCELLED : TaskStatus.SUCCEEDED;
                assertThat(after.status()).isEqualTo(winner);
                assertThat(outcome.previous()).isEqualTo(outcome.cancelled() ? TaskStatus.RUNNING : winner);
            }
        }
    }

    @Test
    void cancelBatchCancelsEveryTaskThatHasNotEnded() {
        Submission batch = data.standalone("embedding", "a", "b", "c", "d");
        tasks.insert(batch);
        List<Task> all = batch.tasks();
        Task done = claim(all.get(0));
        assertThat(tasks.complete(done.id(), 1, ANSWER, data.now()).join()).isTrue();
        Task running = claim(all.get(1));
        Submission elsewhere = data.standalone("embedding", "a");
        tasks.insert(elsewhere);
        Instant now = data.now().plusSeconds(3);

        List<Task> cancelled = tasks.cancelBatch(data.tenant, batch.batchId(), now);

        assertThat(cancelled).extracting(Task::id).containsExactly(running.id(), all.get(2).id(), all.get(3).id());
        for (Task task : cancelled) {
            assertThat(task).isEqualTo(tasks.find(data.tenant, task.id()).orElseThrow());
            assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(task.error()).isEqualTo(CANCELLED);
            assertThat(storage.events().list(task.id())).last().extracting(TaskEvent::message)
                    .isEqualTo("cancelled by a client");
        }
        assertThat(tasks.find(data.tenant, done.id()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(tasks.find(data.tenant, elsewhere.tasks().getFirst().id()).orElseThrow().status())
                .isEqualTo(TaskStatus.QUEUED);
        assertThat(tasks.cancelBatch(data.tenant, batch.batchId(), now)).isEmpty();
        assertThat(tasks.cancelBatch("someone-else", elsewhere.batchId(), now)).isEmpty();
    }

    private void assertCancels(Task task, TaskStatus previous) {
        Instant now = data.now().plusSeconds(2);

        Cancellation outcome = tasks.cancel(data.tenant, task.id(), now).orElseThrow();

        Task after = tasks.find(data.tenant, task.id()).orElseThrow();
        assertThat(outcome).isEqualTo(new Cancellation(after, previous, true));
        assertThat(after.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(after.error()).isEqualTo(CANCELLED);
        assertThat(after.finishedAt()).isEqualTo(now);
        assertThat(after.leaseUntil()).isNull();
        assertThat(storage.events().list(task.id())).last()
                .isEqualTo(new TaskEvent(task.id(), now, "INFO", "cancelled by a client", after.attempt()));
    }
}
