package dev.tasklane.core.port;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskQuery;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The durable truth about tasks. Every status change goes through
 * {@link dev.tasklane.core.model.TaskStatus#checkTransition} and a conditional
 * UPDATE, so concurrent workers can never both win.
 */
public interface TaskStore {

    /**
     * Commits a whole submission in one transaction: the conversation when new
     * (touching {@code last_active_at} when continued), the user message, the tasks
     * (with {@code enqueued_at} = createdAt; together they are the batch); each task's
     * log starts with "queued on lane L" at its creation.
     *
     * @return empty when it was written; the batch id of the earlier submission when the
     *         submission's idempotency key was used by the same tenant within the 24 hours
     *         before its createdAt (then nothing is written; an older use is replaced)
     */
    Optional<UUID> insert(Submission submission);

    Optional<Task> find(String tenantId, UUID taskId);

    /** Any tenant's task: for workers and operators, never for a client's request. */
    Optional<Task> findById(UUID taskId);

    /** Newest first; {@code nextCursor} is the last id of the page when more may follow. */
    Page<Task> list(String tenantId, TaskQuery query);

    /**
     * The conditional claim: queued becomes running with attempt + 1, the lease and
     * the worker set, {@code started_at} set on the first attempt. The task's log
     * gets "attempt N claimed by worker W" in the same transaction. Empty when the
     * task is not queued (already claimed, ended, or unknown).
     *
     * <p>Answered once written. The store may write concurrent claims together, so a
     * caller with many to make asks for them all before it waits for any; the answer may
     * complete on a thread of the store's that must not be blocked.
     */
    CompletableFuture<Optional<Task>> claim(UUID taskId, String workerId, Instant leaseUntil, Instant now);

    /**
     * Stores a result, fenced by attempt: succeeds only while the task is running
     * with this attempt. In the same transaction the task's log gets "attempt N
     * succeeded" (with the node and how long the attempt ran) and, for a chat task in a
     * conversation, the assistant message is appended.
     *
     * <p>Answered once written, like {@link #claim}: concurrent results may share a write,
     * and the answer may complete on a thread of the store's that must not be blocked.
     *
     * @return false when the fence did not hold (nothing was written)
     */
    CompletableFuture<Boolean> complete(UUID taskId, int attempt, TaskResult result, Instant finishedAt);

    /** Ends the attempt as failed for good, fenced like {@link #complete}. */
    boolean fail(UUID taskId, int attempt, TaskError error, Instant finishedAt);

    /**
     * Extends the leases of attempts this process runs, fenced by attempt and status running.
     *
     * @param attempts task id to the attempt that holds it
     * @return the ids whose lease was extended; any other has lost its lease or was cancelled
     */
    Set<UUID> renewLeases(Map<UUID, Integer> attempts, Instant leaseUntil);

    /**
     * The attempt failed and another will follow: running becomes scheduled with
     * {@code run_at}, the error kept as the last one, the lease cleared. Fenced.
     */
    boolean retryLater(UUID taskId, int attempt, TaskError error, Instant runAt, Instant now);

    /** Hands a running attempt back to its lane at once (shutdown): running becomes queued, enqueued_at = now. Fenced. */
    boolean handBack(UUID taskId, int attempt, Instant now);

    /**
     * Running tasks whose lease ended before {@code now}: queued again (enqueued_at = now)
     * while attempts remain, else failed with code {@code lease_expired}. At most {@code limit}
     * rows, skipping rows another sweeper holds.
     *
     * @return the changed tasks, with their new status
     */
    List<Task> expireLeases(Instant now, int limit);

    /** Scheduled tasks whose run_at has come: queued (enqueued_at = now); at most {@code limit}. */
    List<Task> promoteDue(Instant now, int limit);

    /**
     * Queued tasks of one lane and priority published before {@code before}: their
     * enqueued_at becomes {@code now} (so they are taken once per sweep) and they are
     * returned to be published again; at most {@code limit}.
     */
    List<Task> takeStaleQueued(String lane, Priority priority, Instant before, Instant now, int limit);

    /**
     * Cancels one task: scheduled, queued or running becomes cancelled (a running
     * attempt's later writes then fail their fence). Empty when the task is unknown
     * to this tenant; otherwise the task as it is after the call and whether it changed.
     */
    Optional<Cancellation> cancel(String tenantId, UUID taskId, Instant now);

    /** Cancels every task of the batch that has not ended; returns those it cancelled. */
    List<Task> cancelBatch(String tenantId, UUID batchId, Instant now);

    /**
     * The outcome of a cancel request.
     *
     * @param task      the task after the call
     * @param previous  its status before the call
     * @param cancelled false when it had already ended
     */
    record Cancellation(Task task, TaskStatus previous, boolean cancelled) {}
}
