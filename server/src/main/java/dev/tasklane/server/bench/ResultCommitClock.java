package dev.tasklane.server.bench;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskQuery;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TaskStore} that notes when the last stored result was answered, that is
 * committed: the end of a run in which every task succeeds. A task's finished_at is the
 * moment its call returned, before its result was written, so timing a run to the
 * latest finished_at would leave out the write of the last results, which the peer's
 * clock (its last "completed" event) includes.
 */
final class ResultCommitClock implements TaskStore {
    private final TaskStore tasks;
    private final Clock clock;
    private final AtomicReference<Instant> lastCommitted = new AtomicReference<>();

    ResultCommitClock(TaskStore tasks, Clock clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    /** When the latest result so far was committed; empty before the first. */
    Optional<Instant> lastCommitted() {
        return Optional.ofNullable(lastCommitted.get());
    }

    @Override
    public CompletableFuture<Boolean> complete(UUID taskId, int attempt, TaskResult result, Instant finishedAt) {
        return tasks.complete(taskId, attempt, result, finishedAt).whenComplete((stored, error) -> {
            if (Boolean.TRUE.equals(stored)) {
                Instant now = clock.instant();
                lastCommitted.accumulateAndGet(now, (a, b) -> a == null || b.isAfter(a) ? b : a);
            }
        });
    }

    @Override
    public Optional<UUID> insert(Submission submission) {
        return tasks.insert(submission);
    }

    @Override
    public Optional<Task> find(String tenantId, UUID taskId) {
        return tasks.find(tenantId, taskId);
    }

    @Override
    public Optional<Task> findById(UUID taskId) {
        return tasks.findById(taskId);
    }

    @Override
    public Page<Task> list(String tenantId, TaskQuery query) {
        return tasks.list(tenantId, query);
    }

    @Override
    public CompletableFuture<Optional<Task>> claim(UUID taskId, String workerId, Instant leaseUntil, Instant now) {
        return tasks.claim(taskId, workerId, leaseUntil, now);
    }

    @Override
    public boolean fail(UUID taskId, int attempt, TaskError error, Instant finishedAt) {
        return tasks.fail(taskId, attempt, error, finishedAt);
    }

    @Override
    public Set<UUID> renewLeases(Map<UUID, Integer> attempts, Instant leaseUntil) {
        return tasks.renewLeases(attempts, leaseUntil);
    }

    @Override
    public boolean retryLater(UUID taskId, int attempt, TaskError error, Instant runAt, Instant now) {
        return tasks.retryLater(taskId, attempt, error, runAt, now);
    }

    @Override
    public boolean handBack(UUID taskId, int attempt, Instant now) {
        return tasks.handBack(taskId, attempt, now);
    }

    @Override
    public List<Task> expireLeases(Instant now, int limit) {
        return tasks.expireLeases(now, limit);
    }

    @Override
    public List<Task> promoteDue(Instant now, int limit) {
        return tasks.promoteDue(now, limit);
    }

    @Override
    public List<Task> takeStaleQueued(String lane, Priority priority, Instant before, Instant now, int limit) {
        return tasks.takeStaleQueued(lane, priority, before, now, limit);
    }

    @Override
    public Optional<Cancellation> cancel(String tenantId, UUID taskId, Instant now) {
        return tasks.cancel(tenantId, taskId, now);
    }

    @Override
    public List<Task> cancelBatch(String tenantId, UUID batchId, Instant now) {
        return tasks.cancelBatch(tenantId, batchId, now);
    }
}
