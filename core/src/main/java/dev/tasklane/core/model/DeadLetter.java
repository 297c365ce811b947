package dev.tasklane.core.model;

import java.time.Instant;
import java.util.UUID;

/**
 * A stream entry no worker could process, kept with the reason.
 *
 * @param tenantId   the task's tenant, or null when the entry names no task
 * @param taskId     the task it names, or null when it could not be parsed
 * @param payload    the entry's fields as text
 * @param deliveries how often it had been delivered
 */
public record DeadLetter(UUID id, String tenantId, String lane, String entryId, UUID taskId, String reason,
                         String payload, long deliveries, Instant createdAt) {}
