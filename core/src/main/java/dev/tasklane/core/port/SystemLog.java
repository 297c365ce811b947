package dev.tasklane.core.port;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.SystemLogEntry;

/** Unexpected errors of gateways and workers, with their stack traces, for the admin endpoint. */
public interface SystemLog {

    /** Stores the entry; must never throw (a failure to store is only logged). */
    void record(SystemLogEntry entry);

    /** Newest first; the cursor is opaque to callers (a bad one throws IllegalArgumentException). */
    Page<SystemLogEntry> list(int limit, String cursor);
}
