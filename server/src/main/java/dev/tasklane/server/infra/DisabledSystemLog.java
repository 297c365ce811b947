package dev.tasklane.server.infra;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.core.port.SystemLog;
import java.util.List;

/** The system log when ENABLE_DB_LOG is off: errors stay in the process log (where they are logged anyway). */
public final class DisabledSystemLog implements SystemLog {
    @Override
    public void record(SystemLogEntry entry) {
        // nothing to store: the caller has logged the error already
    }

    @Override
    public Page<SystemLogEntry> list(int limit, String cursor) {
        return new Page<>(List.of(), null);
    }
}
