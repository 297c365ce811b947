package dev.tasklane.core.port;

import java.util.UUID;

/**
 * One stream entry handed to a worker, or a task started in the process that committed
 * it (no entry: nothing to acknowledge).
 *
 * @param stream  the stream key it came from (needed to acknowledge it), or null
 * @param entryId the stream entry id, or null
 * @param taskId  the task it names, or null when the entry could not be parsed
 * @param payload    the entry's fields as text, for logs and dead letters
 * @param deliveries how often the entry has been delivered, this time included (1 for a new entry)
 */
public record Delivery(String lane, String stream, String entryId, UUID taskId, String payload, long deliveries) {

    /** A task committed by this process and started here without a stream entry. */
    public static Delivery local(String lane, UUID taskId) {
        return new Delivery(lane, null, null, taskId, null, 1);
    }

    /** Whether it came from a stream entry, which is acknowledged once its outcome is written. */
    public boolean hasEntry() {
        return entryId != null;
    }
}
