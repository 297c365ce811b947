package dev.tasklane.postgres;

import static dev.tasklane.postgres.TestData.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.engine.NotFoundException;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.model.Usage;
import dev.tasklane.core.port.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskStoreTest extends StorageTestBase {

    private TaskStore tasks;

    @BeforeEach
    void stores() {
        tasks = storage.tasks();
    }

    @Test
    void everyFieldReadsBackAsInserted() {
        UUID conversationId = data.nextId();
        UUID batchId = data.nextId();
        Instant t = data.now();
        Task full = new Task(data.nextId(), data.tenant, batchId, conversationId, "chat", "gemini-2.5-flash",
                "gemini", TaskStatus.QUEUED, Priority.HIGH, 2, 5, 120, json("{\"prompt\": \"hi\", \"n\": [1, 2.5]}"),
                "answer", "thinking", json("{\"text\": \"answer\"}"), new TaskError("rate_limited", "slow down", true),
                new Usage(12, null, 92), "node-a", "worker-1", t.plusSeconds(30), "key-1",
                json("{\"tag\": \"x\"}"), t, t.plusSeconds(1), t.plusSeconds(2), t.plusSeconds(3));
        Task bare = Task.newQueued(data.nextId(), data.tenant, batchId, conversationId, "embedding", null, "local",
                Priority.LOW, null, null, null, "key-1", null, t);

        assertThat(tasks.insert(new Submission(data.tenant, batchId, conversationId, true, null, "hi",
                "gemini-2.5-flash", List.of(full, bare), t, "key-1"))).isEmpty();

        assertThat(tasks.find(data.tenant, full.id())).contains(full);
        assertThat(tasks.find(data.tenant, bare.id())).contains(bare);
    }

    @Test
    void anotherTenantsTaskIsNotFound() {
        Task task = insertOne();

        assertThat(tasks.find("someone-else", task.id())).isEmpty();
        assertThat(tasks.find(data.tenant, UUID.randomUUID())).isEmpty();
    }

    @Test
    void aFailingSubmissionWritesNothing() {
        Task existing = insertOne();
        Submission clash = data.newConversation("hello", "a");
        Task duplicate = new Task(existing.id(), data.tenant, clash.batchId(), clash.conversationId(), "chat", "a",
                "lane-a", TaskStatus.QUEUED, Priority.NORMAL, 0, null, null, null, null, null, null, null, null,
                null, null, null, null, null, clash.createdAt(), null, null, null);
        Submission failing = new Submission(data.tenant, clash.batchId(), clash.conversationId(), true, null, "hello",
                "a", List.of(clash.tasks().getFirst(), duplicate), clash.createdAt(), null);

        assertThatThrownBy(() -> tasks.insert(failing)).isInstanceOf(StorageException.class);

        assertThat(tasks.find(data.tenant, clash.tasks().getFirst().id())).isEmpty();
        assertThat(storage.batches().find(data.tenant, clash.batchId())).isEmpty();
        assertThat(storage.conversations().find(data.tenant, clash.conversationId())).isEmpty();
    }

    @Test
    void continuingAnUnknownConversationWritesNothing() {
        Submission orphan = data.nextTurn(UUID.randomUUID(), "hello again", "a");

        assertThatThrownBy(() -> tasks.insert(orphan)).isInstanceOf(NotFoundException.class);

        assertThat(storage.batches().find(data.tenant, orphan.batchId())).isEmpty();
    }

    @Test
    void claimMakesAQueuedTaskRunningOnce() {
        Task task = insertOne();
        Instant now = data.now().plusSeconds(5);

        Task claimed = tasks.claim(task.id(), "worker-1", now.plusSeconds(60), now).join().orElseThrow();

        assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.workerId()).isEqualTo("worker-1");
        assertThat(claimed.leaseUntil()).isEqualTo(now.plusSeconds(60));
        assertThat(claimed.startedAt()).isEqualTo(now);
        assertThat(tasks.find(data.tenant, task.id())).contains(claimed);
        assertThat(tasks.claim(task.id(), "worker-2", now.plusSeconds(60), now).join()).isEmpty();
        assertThat(tasks.claim(UUID.randomUUID(), "worker-2", now.plusSeconds(60), now).join()).isEmpty();
        assertThat(storage.events().list(task.id())).last()
                .satisfies(e -> {
                    assertThat(e.message()).isEqualTo("attempt 1 claimed by worker worker-1");
                    assertThat(e.ts()).isEqualTo(now);
                    assertThat(e.attempt()).isEqualTo(1);
                });
        assertThat(storage.events().list(task.id())).hasSize(2);
    }

    @Test
    void twoWorkersClaimingTheSameTaskNeverBothWin() throws Exception {
        Submission submission = insertTasks(100);
        Instant now = data.now();

        try (ExecutorService workers = Executors.newFixedThreadPool(2)) {
            for (Task task : submission.tasks()) {
                List<Optional<Task>> claims = twiceAtOnce(workers,
                        () -> tasks.claim(task.id(), Thread.currentThread().getName(), now.plusSeconds(60), now)
                                .join());

                assertThat(claims.stream().filter(Optional::isPresent).count())
                        .as("winners for task %s", task.id()).isEqualTo(1);
                assertThat(tasks.find(data.tenant, task.id()).orElseThrow().attempt()).isEqualTo(1);
            }
        }
    }

    @Test
    void twoResultsOfOneAttemptSentTogetherStoreOnlyOne() throws Exception {
        Submission submission = insertTasks(50);
        Instant now = data.now();
        List<Task> running = submission.tasks().stream().map(t -> tasks.claim(t.id(), "worker-1",
                now.plusSeconds(60), now).join().orElseThrow()).toList();

        // without answer texts: alone in a batch each is one auto-committed statement, met in one
        // batch the second goes through the transaction's second pass; either way one wins
        try (ExecutorService workers = Executors.newFixedThreadPool(2)) {
            for (Task task : running) {
                List<Boolean> stored = twiceAtOnce(workers, () -> tasks.complete(task.id(), 1, new TaskResult(null,
                        null, json("{\"by\": \"" + Thread.currentThread().getName() + "\"}"), null, null), now).join());

                assertThat(stored.stream().filter(s -> s).count())
                        .as("stored results for task %s", task.id()).isEqualTo(1);
                assertThat(storage.events().list(task.id()).stream().filter(e -> e.message().contains("succeeded")))
                        .hasSize(1);
            }
        }
    }

    @Test
    void completeStoresTheResultOfTheRunningAttempt() {
        Task running = claim(insertOne());
        Instant finished = data.now().plusSeconds(9);
        TaskResult result = new TaskResult("42", "thought", json("{\"answer\": 42}"), new Usage(3, 4, 7), "node-b");

        assertThat(tasks.complete(running.id(), 1, result, finished).join()).isTrue();

        Task done = tasks.find(data.tenant, running.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.responseText()).isEqualTo("42");
        assertThat(done.reasoningText()).isEqualTo("thought");
        assertThat(done.output()).isEqualTo(json("{\"answer\": 42}"));
        assertThat(done.usage()).isEqualTo(new Usage(3, 4, 7));
        assertThat(done.node()).isEqualTo("node-b");
        assertThat(done.finishedAt()).isEqualTo(finished);
        assertThat(done.startedAt()).isEqualTo(running.startedAt());
        assertThat(done.leaseUntil()).isNull();
        assertThat(done.error()).isNull();
        assertThat(storage.events().list(running.id())).last()
                .satisfies(e -> {
                    assertThat(e.message()).isEqualTo("attempt 1 succeeded on node node-b in 8000 ms");
                    assertThat(e.ts()).isEqualTo(finished);
                });
    }

    @Test
    void completeWithAStaleAttemptOrOutsideRunningWritesNothing() {
        TaskResult result = new TaskResult("late", null, null, null, "node-x");
        Task queued = insertOne();
        Task running = claim(insertOne());

        assertThat(tasks.complete(queued.id(), 0, result, data.now()).join()).isFalse();
        assertThat(tasks.complete(running.id(), 2, result, data.now()).join()).isFalse();
        assertThat(tasks.complete(running.id(), 0, result, data.now()).join()).isFalse();

        assertThat(tasks.find(data.tenant, queued.id())).contains(queued);
        assertThat(tasks.find(data.tenant, running.id())).contains(running);
        assertThat(storage.events().list(running.id())).noneMatch(e -> e.message().contains("succeeded"));
    }

    @Test
    void anEndedTaskTakesNoSecondResult() {
        Task running = claim(insertOne());
        assertThat(tasks.complete(running.id(), 1, new TaskResult("first", null, null, null, null), data.now()).join())
                .isTrue();
        Task done = tasks.find(data.tenant, running.id()).orElseThrow();

        assertThat(tasks.complete(running.id(), 1, new TaskResult("second", null, null, null, null), data.now()).join())
                .isFalse();
        assertThat(tasks.fail(running.id(), 1, new TaskError("timeout", "late", false), data.now())).isFalse();
        assertThat(tasks.claim(running.id(), "worker-2", data.now(), data.now()).join()).isEmpty();
        assertThat(tasks.find(data.tenant, running.id())).contains(done);
    }

    @Test
    void failEndsTheRunningAttemptForGood() {
        Task running = claim(insertOne());
        TaskError error = new TaskError("upstream_error", "502 from node", false);
        Instant finished = data.now().plusSeconds(3);

        assertThat(tasks.fail(running.id(), 2, error, finished)).isFalse();
        assertThat(tasks.fail(running.id(), 1, error, finished)).isTrue();

        Task failed = tasks.find(data.tenant, running.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error()).isEqualTo(error);
        assertThat(failed.finishedAt()).isEqualTo(finished);
        assertThat(failed.leaseUntil()).isNull();
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(tasks.complete(running.id(), 1, new TaskResult("x", null, null, null, null), finished).join())
                .isFalse();
        assertThat(tasks.claim(running.id(), "worker-2", finished, finished).join()).isEmpty();
    }

    /** One submission of {@code count} queued tasks, one per model. */
    private Submission insertTasks(int count) {
        Submission submission = data.standalone("embedding",
                IntStream.range(0, count).mapToObj(i -> "m" + i).toArray(String[]::new));
        tasks.insert(submission);
        return submission;
    }

    private Task insertOne() {
        Submission submission = data.standalone("embedding", "a");
        tasks.insert(submission);
        return submission.tasks().getFirst();
    }

    /** Runs {@code call} on two of the threads at once (they start it together); both answers. */
    private static <T> List<T> twiceAtOnce(ExecutorService threads, Callable<T> call) throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<T> atOnce = () -> {
            together.await();
            return call.call();
        };
        Future<T> first = threads.submit(atOnce);
        Future<T> second = threads.submit(atOnce);
        return List.of(first.get(), second.get());
    }
}
