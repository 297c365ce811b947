package dev.tasklane.core.engine;

import java.util.List;
import java.util.UUID;

/** What a chat submission created, all committed. */
public record ChatSubmitted(UUID batchId, UUID conversationId, List<UUID> taskIds) {}
