package dev.tasklane.core.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of a task. The allowed changes live in {@link #ALLOWED}, the one table
 * every store consults before it writes a new status; anything else is a bug.
 */
public enum TaskStatus {
    /** Waits for run_at, a retry back-off or its dependencies. */
    SCHEDULED,
    /** Persisted and on its lane, waiting for a worker. */
    QUEUED,
    /** A worker holds a lease on it. */
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    private static final Map<TaskStatus, Set<TaskStatus>> ALLOWED = Map.of(
            SCHEDULED, EnumSet.of(QUEUED, FAILED, CANCELLED),
            QUEUED, EnumSet.of(RUNNING, FAILED, CANCELLED),
            // back to QUEUED: lease lost or handed back; to SCHEDULED: waiting for a retry
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED, SCHEDULED),
            SUCCEEDED, EnumSet.noneOf(TaskStatus.class),
            FAILED, EnumSet.noneOf(TaskStatus.class),
            CANCELLED, EnumSet.noneOf(TaskStatus.class));

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    public boolean canBecome(TaskStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** Throws {@link IllegalTransitionException} unless this status may become {@code next}. */
    public void checkTransition(TaskStatus next) {
        if (!canBecome(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }

    /** The original design's numeric code: 0 while pending, 1 succeeded, 2 failed or cancelled. */
    public int statusCode() {
        return switch (this) {
            case SUCCEEDED -> 1;
            case FAILED, CANCELLED -> 2;
            default -> 0;
        };
    }

    /** The lower-case word used on the wire and in the database. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TaskStatus fromWire(String word) {
        for (TaskStatus s : values()) {
            if (s.wire().equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + word + "'");
    }
}
