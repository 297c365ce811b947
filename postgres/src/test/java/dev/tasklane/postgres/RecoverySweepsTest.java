package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskEvent;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.port.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweeps see every tenant's rows, so each test starts from empty task tables. */
class RecoverySweepsTest extends StorageTestBase {

    private TaskStore tasks;
    private Instant start;

    @BeforeEach
    void emptyTables() {
        truncate("tasks, task_events, idempotency_keys, messages, conversations");
        tasks = storage.tasks();
        start = data.now();
    }

    @Test
    void anExpiredLeaseQueuesTheTaskAgainWhileAttemptsRemain() {
        Task task = running(3, start.plusSeconds(10));
        Instant now = start.plusSeconds(11);

        List<Task> changed = tasks.expireLeases(now, 10);

        Task queued = tasks.find(data.tenant, task.id()).orElseThrow();
        assertThat(changed).containsExactly(queued);
        assertThat(queued.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(queued.attempt()).isEqualTo(1);
        assertThat(queued.leaseUntil()).isNull();
        assertThat(queued.workerId()).isNull();
        assertThat(queued.error()).isNull();
        assertThat(queued.finishedAt()).isNull();
        assertThat(enqueuedAt(task.id())).isEqualTo(now);
        assertThat(storage.events().list(task.id())).last().isEqualTo(new TaskEvent(task.id(), now, "WARN",
                "lease of attempt 1 expired (worker worker-1); queued again", 1));
    }

    @Test
    void anExpiredLeaseOfTheLastAttemptFailsTheTask() {
        Task onlyAttempt = running(null, start.plusSeconds(10));
        Task secondOfTwo = running(2, start.plusSeconds(1));
        assertThat(tasks.handBack(secondOfTwo.id(), 1, start)).isTrue();
        tasks.claim(secondOfTwo.id(), "worker-2", start.plusSeconds(10), start).join().orElseThrow();
        Instant now = start.plusSeconds(11);

        List<Task> changed = tasks.expireLeases(now, 10);

        assertThat(changed).extracting(Task::id).containsExactly(onlyAttempt.id(), secondOfTwo.id());
        for (Task task : changed) {
            assertThat(task).isEqualTo(tasks.find(data.tenant, task.id()).orElseThrow());
            assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(task.error()).isEqualTo(
                    new TaskError("lease_expired", "the worker stopped renewing its lease", false));
            assertThat(task.finishedAt()).isEqualTo(now);
            assertThat(task.leaseUntil()).isNull();
        }
        assertThat(storage.events().list(secondOfTwo.id())).last().isEqualTo(new TaskEvent(secondOfTwo.id(), now,
                "WARN", "lease of attempt 2 expired (worker worker-2); no attempts left", 2));
    }

    @Test
    void leasesThatHaveNotEndedAreKept() {
        Task later = running(3, start.plusSeconds(30));
        Task endingNow = running(3, start.plusSeconds(10));

        assertThat(tasks.expireLeases(start.plusSeconds(10), 10)).isEmpty();

        assertThat(tasks.find(data.tenant, later.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(tasks.find(data.tenant, endingNow.id()).orElseThrow().leaseUntil())
                .isEqualTo(start.plusSeconds(10));
    }

    @Test
    void expireLeasesTakesAtMostTheLimitOldestLeaseFirst() {
        Task third = running(3, start.plusSeconds(3));
        Task first = running(3, start.plusSeconds(1));
        Task second = running(3, start.plusSeconds(2));
        Instant now = start.plusSeconds(60);

        assertThat(tasks.expireLeases(now, 2)).extracting(Task::id).containsExactly(first.id(), second.id());
        assertThat(tasks.expireLeases(now, 2)).extracting(Task::id).containsExactly(third.id());
        assertThat(tasks.expireLeases(now, 2)).isEmpty();
    }

    @Test
    void twoSweepersChangeEachExpiredTaskOnce() throws Exception {
        try (ExecutorService sweepers = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 3; round++) {
                List<Task> expired = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    expired.add(running(i % 2 == 0 ? 1 : 3, start.plusSeconds(1)));
                }
                Instant now = start.plusSeconds(60);
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<List<Task>> sweep = () -> {
                    together.await();
                    List<Task> changed = new ArrayList<>();
                    for (List<Task> batch = tasks.expireLeases(now, 5); !batch.isEmpty();
                         batch = tasks.expireLeases(now, 5)) {
                        changed.addAll(batch);
                    }
                    return changed;
                };
                Future<List<Task>> one = sweepers.submit(sweep);
                Future<List<Task>> other = sweepers.submit(sweep);
                List<Task> changed = new ArrayList<>(one.get());
                changed.addAll(other.get());

                assertThat(changed).extracting(Task::id).as("round %d", round)
                        .containsExactlyInAnyOrderElementsOf(expired.stream().map(Task::id).toList());
                for (Task task : expired) {
                    assertThat(storage.events().list(task.id())).filteredOn(e -> e.level().equals("WARN"))
                            .hasSize(1);
                }
            }
        }
    }

    @Test
    void promoteDueQueuesScheduledTasksWhoseTimeHasCome() {
        Task past = scheduled(start.plusSeconds(5));
        Task dueNow = scheduled(start.plusSeconds(10));
        Task future = scheduled(start.plusSeconds(11));
        Task queued = insert("lane-a", Priority.NORMAL);
        Instant now = start.plusSeconds(10);

        List<Task> promoted = tasks.promoteDue(now, 10);

        assertThat(promoted).extracting(Task::id).containsExactly(past.id(), dueNow.id());
        for (Task task : promoted) {
            assertThat(task).isEqualTo(tasks.find(data.tenant, task.id()).orElseThrow());
            assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
            assertThat(enqueuedAt(task.id())).isEqualTo(now);
        }
        assertThat(promoted.getFirst().runAt()).isEqualTo(start.plusSeconds(5));
        assertThat(tasks.find(data.tenant, future.id()).orElseThrow().status()).isEqualTo(TaskStatus.SCHEDULED);
        assertThat(enqueuedAt(queued.id())).isEqualTo(queued.createdAt());
        assertThat(tasks.promoteDue(now, 10)).isEmpty();
    }

    @Test
    void promoteDueTakesAtMostTheLimit() {
        for (int i = 0; i < 3; i++) {
            scheduled(start.plusSeconds(i));
        }

        assertThat(tasks.promoteDue(start.plusSeconds(60), 2)).hasSize(2);
        assertThat(tasks.promoteDue(start.plusSeconds(60), 2)).hasSize(1);
    }

    @Test
    void takeStaleQueuedTakesOldTasksOfOneLaneAndPriorityOnce() {
        Task stale = insert("lane-a", Priority.NORMAL);
        Task otherPriority = insert("lane-a", Priority.HIGH);
        Task otherLane = insert("lane-b", Priority.NORMAL);
        Task running = running(3, start.plusSeconds(60));
        Instant before = data.now().plusMillis(1);
        Task fresh = insert("lane-a", Priority.NORMAL);
        Instant now = start.plusSeconds(30);

        List<Task> taken = tasks.takeStaleQueued("lane-a", Priority.NORMAL, before, now, 10);

        assertThat(taken).containsExactly(stale);
        assertThat(enqueuedAt(stale.id())).isEqualTo(now);
        for (Task untouched : List.of(otherPriority, otherLane, running, fresh)) {
            assertThat(enqueuedAt(untouched.id())).isEqualTo(untouched.createdAt());
        }
        assertThat(tasks.takeStaleQueued("lane-a", Priority.NORMAL, before, now, 10)).isEmpty();
    }

    @Test
    void takeStaleQueuedTakesAtMostTheLimitLongestWaitingFirst() {
        Task first = insert("lane-a", Priority.LOW);
        Task second = insert("lane-a", Priority.LOW);
        insert("lane-a", Priority.LOW);
        Instant now = start.plusSeconds(30);

        assertThat(tasks.takeStaleQueued("lane-a", Priority.LOW, now, now, 2)).containsExactly(first, second);
    }

    private Task insert(String lane, Priority priority) {
        Submission submission = data.single(lane, priority, 3);
        tasks.insert(submission);
        return submission.tasks().getFirst();
    }

    /** A task on lane-a whose first attempt runs on worker-1 until {@code leaseUntil}. */
    private Task running(Integer maxAttempts, Instant leaseUntil) {
        Submission submission = data.single("lane-a", Priority.NORMAL, maxAttempts);
        tasks.insert(submission);
        return tasks.claim(submission.tasks().getFirst().id(), "worker-1", leaseUntil, start).join().orElseThrow();
    }

    private Task scheduled(Instant runAt) {
        Task task = running(3, start.plusSeconds(60));
        assertThat(tasks.retryLater(task.id(), 1, new TaskError("timeout", "slow", true), runAt, start)).isTrue();
        return task;
    }
}
