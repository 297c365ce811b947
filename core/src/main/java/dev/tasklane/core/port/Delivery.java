package dev.tasklane.core.port;

import java.util.UUID;

/**
 * One stream entry handed to a worker.
 *
 * @param stream  the stream key it came from (needed to acknowledge it)
 * @param entryId the stream entry id
 * @param taskId  the task it names, or null when the entry could not be parsed
 * @param payload    the entry's fields as text, for logs and dead letters
 * @param deliveries how often the entry has been delivered, this time included (1 for a new entry)
 */
public record Delivery(String lane, String stream, String entryId, UUID taskId, String payload, long deliveries) {}
