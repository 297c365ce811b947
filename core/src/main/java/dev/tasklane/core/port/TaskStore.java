package dev.tasklane.core.port;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskQuery;
import dev.tasklane.core.model.TaskResult;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The durable truth about tasks. Every status change goes through
 * {@link dev.tasklane.core.model.TaskStatus#checkTransition} and a conditional
 * UPDATE, so concurrent workers can never both win.
 */
public interface TaskStore {

    /**
     * Commits a whole submission in one transaction: the batch, the conversation
     * when new (touching {@code last_active_at} when continued), the user message,
     * the tasks and a "queued" event for each.
     */
    void insert(Submission submission);

    Optional<Task> find(String tenantId, UUID taskId);

    /** Newest first; {@code nextCursor} is the last id of the page when more may follow. */
    Page<Task> list(String tenantId, TaskQuery query);

    /**
     * The conditional claim: queued becomes running with attempt + 1, the lease and
     * the worker set, {@code started_at} set on the first attempt. Empty when the
     * task is not queued (already claimed, ended, or unknown).
     */
    Optional<Task> claim(UUID taskId, String workerId, Instant leaseUntil, Instant now);

    /**
     * Stores a result, fenced by attempt: succeeds only while the task is running
     * with this attempt. For a chat task in a conversation it also appends the
     * assistant message, in the same transaction.
     *
     * @return false when the fence did not hold (nothing was written)
     */
    boolean complete(UUID taskId, int attempt, TaskResult result, Instant finishedAt);

    /** Ends the attempt as failed for good, fenced like {@link #complete}. */
    boolean fail(UUID taskId, int attempt, TaskError error, Instant finishedAt);
}
