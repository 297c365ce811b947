package dev.tasklane.core.model;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/**
 * An unexpected error inside Tasklane, for operators; never shown to clients.
 *
 * @param id         assigned by the store (0 before it is stored)
 * @param source     where it happened, e.g. {@code worker} or {@code gateway}
 * @param stackTrace the cause's stack trace, or null
 */
public record SystemLogEntry(long id, Instant ts, String level, String source, String workerId, String message,
                             String stackTrace) {

    /** A new entry for {@code error}, with its stack trace. */
    public static SystemLogEntry of(Instant ts, String level, String source, String workerId, String message,
                                    Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return new SystemLogEntry(0, ts, level, source, workerId, message + ": " + error, trace.toString());
    }
}
