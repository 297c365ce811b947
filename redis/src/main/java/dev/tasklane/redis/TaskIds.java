package dev.tasklane.redis;

import java.util.UUID;

/** Task ids as Redis carries them: the canonical text of a UUID. */
final class TaskIds {
    private TaskIds() {}

    /** The task id written as {@code text}, or null when it is missing or not a canonical UUID. */
    static UUID parseOrNull(String text) {
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
}
