package dev.tasklane.core.model;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A task as stored. Rows are only changed by the store's guarded transitions.
 *
 * @param attempt        attempts started so far (0 until the first claim)
 * @param timeoutSeconds this task's bound on one attempt; null takes the lane's
 * @param maxAttempts    this task's attempt limit; null takes the lane's
 * @param leaseUntil     while running: when the holder's lease ends
 * @param conversationId null for tasks outside a conversation
 */
public record Task(
        UUID id,
        String tenantId,
        UUID batchId,
        UUID conversationId,
        String type,
        String model,
        String lane,
        TaskStatus status,
        Priority priority,
        int attempt,
        Integer maxAttempts,
        Integer timeoutSeconds,
        JsonNode input,
        String responseText,
        String reasoningText,
        JsonNode output,
        TaskError error,
        Usage usage,
        String node,
        String workerId,
        Instant leaseUntil,
        String idempotencyKey,
        JsonNode metadata,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Instant runAt) {

    /** A new task as submitted: queued, no attempt yet. */
    public static Task newQueued(UUID id, String tenantId, UUID batchId, UUID conversationId, String type,
                                 String model, String lane, Priority priority, Integer maxAttempts,
                                 Integer timeoutSeconds, JsonNode input, String idempotencyKey,
                                 JsonNode metadata, Instant createdAt) {
        return new Task(id, tenantId, batchId, conversationId, type, model, lane, TaskStatus.QUEUED, priority,
                0, maxAttempts, timeoutSeconds, input, null, null, null, null, null, null, null, null,
                idempotencyKey, metadata, createdAt, null, null, null);
    }

    /**
     * This new task as claimed by {@code workerId} in the same write that creates it: its
     * first attempt started at its creation, under a lease until {@code leaseUntil}.
     */
    public Task claimedOnCreation(String workerId, Instant leaseUntil) {
        if (attempt != 0) {
            throw new IllegalStateException("task " + id + " was claimed before");
        }
        status.checkTransition(TaskStatus.RUNNING);
        return new Task(id, tenantId, batchId, conversationId, type, model, lane, TaskStatus.RUNNING, priority, 1,
                maxAttempts, timeoutSeconds, input, responseText, reasoningText, output, error, usage, node, workerId,
                leaseUntil, idempotencyKey, metadata, createdAt, createdAt, finishedAt, runAt);
    }
}
