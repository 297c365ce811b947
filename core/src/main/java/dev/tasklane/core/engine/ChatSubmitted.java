package dev.tasklane.core.engine;

import java.util.List;
import java.util.UUID;

/**
 * What a chat submission created, all committed.
 *
 * @param replayed true when an idempotency key returned an earlier submission instead
 */
public record ChatSubmitted(UUID batchId, UUID conversationId, List<UUID> taskIds, boolean replayed) {}
