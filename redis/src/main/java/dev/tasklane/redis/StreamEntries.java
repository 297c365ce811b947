package dev.tasklane.redis;

import dev.tasklane.core.port.Delivery;
import io.lettuce.core.StreamMessage;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The body of a lane's stream entries: one field {@value #ID_FIELD} holding the task id. */
final class StreamEntries {
    static final String ID_FIELD = "id";

    private StreamEntries() {}

    static Map<String, String> body(UUID taskId) {
        return Map.of(ID_FIELD, taskId.toString());
    }

    /**
     * The delivery of an entry. One that names no task (a missing or malformed id) is
     * still delivered, with a null task id, so the engine can dead-letter and acknowledge it.
     */
    static Delivery toDelivery(String lane, StreamMessage<String, String> entry) {
        Map<String, String> fields = entry.getBody();
        return new Delivery(lane, entry.getStream(), entry.getId(), taskIdOrNull(fields.get(ID_FIELD)), text(fields));
    }

    private static UUID taskIdOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(text);
            // UUID.fromString also takes short forms such as "1-2-3-4-5"; only the
            // canonical form that publish writes names a task.
            return id.toString().equalsIgnoreCase(text) ? id : null;
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    private static String text(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + field.getValue())
                .collect(Collectors.joining(" "));
    }
}
