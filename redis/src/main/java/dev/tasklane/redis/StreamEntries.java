package dev.tasklane.redis;

import dev.tasklane.core.port.Delivery;
import io.lettuce.core.StreamMessage;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

/** The body of a lane's stream entries: one field {@value #ID_FIELD} holding the task id. */
final class StreamEntries {
    static final String ID_FIELD = "id";

    private StreamEntries() {}

    static Map<String, String> body(UUID taskId) {
        return Map.of(ID_FIELD, taskId.toString());
    }

    /**
     * The delivery of an entry, delivered {@code deliveries} times so far (this time included).
     * One that names no task (a missing or malformed id) is still delivered, with a null task
     * id, so the engine can dead-letter and acknowledge it.
     */
    static Delivery toDelivery(String lane, StreamMessage<String, String> entry, long deliveries) {
        Map<String, String> fields = entry.getBody();
        return new Delivery(lane, entry.getStream(), entry.getId(), TaskIds.parseOrNull(fields.get(ID_FIELD)),
                text(fields), deliveries);
    }

    /** When the entry was added: the milliseconds part of its id ({@code <ms>-<seq>}). */
    static Instant addedAt(String entryId) {
        return Instant.ofEpochMilli(Long.parseLong(entryId.substring(0, entryId.indexOf('-'))));
    }

    private static String text(Map<String, String> fields) {
        StringJoiner text = new StringJoiner(" ");
        fields.forEach((name, value) -> text.add(name + "=" + value));
        return text.toString();
    }
}
