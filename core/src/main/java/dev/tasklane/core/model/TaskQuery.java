package dev.tasklane.core.model;

import java.time.Instant;
import java.util.UUID;

/**
 * Filters for listing tasks, newest first. Null fields do not filter.
 *
 * @param before the cursor: only tasks whose id sorts before this one (ids are time-ordered)
 * @param limit  1..500
 */
public record TaskQuery(TaskStatus status, String lane, String model, String type, UUID batchId,
                        UUID conversationId, Instant createdAfter, Instant createdBefore,
                        UUID before, int limit) {}
