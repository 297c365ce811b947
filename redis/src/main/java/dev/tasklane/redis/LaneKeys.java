package dev.tasklane.redis;

import dev.tasklane.core.model.Priority;
import java.util.Arrays;
import java.util.List;

/**
 * Names what a lane has in Redis. Its streams are {@code <prefix>:{<lane>}:<priority>}:
 * the braces are a Redis Cluster hash tag, so a lane's three streams share one slot and
 * one XREADGROUP may name all of them. Each stream has the one consumer group {@link #GROUP}.
 */
final class LaneKeys {
    static final String GROUP = "tasklane";

    private final String prefix;

    LaneKeys(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("the key prefix must not be empty");
        }
        // A brace in the prefix would become the hash tag and put all lanes in one slot.
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("the key prefix must not contain braces: '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    String stream(String lane, Priority priority) {
        return prefix + ":{" + requireLane(lane) + "}:" + priority.wire();
    }

    /** The lane's streams, highest priority first. */
    List<String> streams(String lane) {
        return Arrays.stream(Priority.values()).map(priority -> stream(lane, priority)).toList();
    }

    /**
     * The client name of a reader's connection, so CLIENT LIST shows who blocks on which lane.
     * Redis refuses names with spaces or control characters; those become '_'.
     */
    String readerClientName(String lane, String consumer) {
        String name = prefix + ":{" + requireLane(lane) + "}:reader:" + consumer;
        return name.replaceAll("[^!-~]", "_");
    }

    // An empty hash tag "{}" counts as none: Redis Cluster would hash each whole key
    // and scatter the lane's streams over several slots.
    private static String requireLane(String lane) {
        if (lane == null || lane.isEmpty()) {
            throw new IllegalArgumentException("the lane name must not be empty");
        }
        return lane;
    }
}
