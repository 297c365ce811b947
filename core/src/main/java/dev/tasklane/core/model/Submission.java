package dev.tasklane.core.model;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything one request creates, committed together in one transaction.
 *
 * @param newConversation true when {@code conversationId} must be created; false when it continues one
 * @param systemPrompt    stored on a new conversation (may be null)
 * @param userMessage     the user's turn to append to the conversation (null when the batch has no conversation)
 * @param userModel       the model field of that turn, as the client gave it
 * @param tasks           every task of the batch, all {@link TaskStatus#QUEUED}, in answer order
 * @param idempotencyKey  the client's key (null for none): the same tenant and key within 24 hours
 *                        returns the first submission's batch and writes nothing
 */
public record Submission(
        String tenantId,
        UUID batchId,
        UUID conversationId,
        boolean newConversation,
        String systemPrompt,
        String userMessage,
        String userModel,
        List<Task> tasks,
        Instant createdAt,
        String idempotencyKey) {}
