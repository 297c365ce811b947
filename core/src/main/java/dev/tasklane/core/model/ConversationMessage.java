package dev.tasklane.core.model;

import java.time.Instant;
import java.util.UUID;

/**
 * One stored turn: a user message (one per batch) or a successful assistant answer.
 *
 * @param taskId for a user message, the first task of its turn
 * @param model  for a user message, the model field as the client gave it
 */
public record ConversationMessage(long seq, UUID conversationId, UUID batchId, UUID taskId, String role,
                                  String content, String model, Instant createdAt) {}
