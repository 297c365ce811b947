package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.instant;
import static dev.tasklane.postgres.Columns.setInstant;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.core.port.SystemLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SystemLog} on {@code system_logs}. Entries list in the order they were stored, newest
 * first (their ts comes from many clocks); the cursor of a page is the last id on it.
 */
final class JdbcSystemLog implements SystemLog {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSystemLog.class);

    private final Database db;

    JdbcSystemLog(Database db) {
        this.db = db;
    }

    /** A failure to store (the database is down, the entry breaks a constraint) is logged here instead. */
    @Override
    public void record(SystemLogEntry entry) {
        try {
            db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO system_logs (ts, level, source, worker_id, message, stack_trace)
                        VALUES (?, ?, ?, ?, ?, ?)""")) {
                    setInstant(ps, 1, entry.ts());
                    ps.setString(2, entry.level());
                    ps.setString(3, entry.source());
                    ps.setString(4, entry.workerId());
                    ps.setString(5, entry.message());
                    ps.setString(6, entry.stackTrace());
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("system log entry not stored ({}): {}", e.toString(), entry);
        }
    }

    @Override
    public Page<SystemLogEntry> list(int limit, String cursor) {
        PageLimit.check(limit);
        Long before = cursor == null ? null : decode(cursor);
        List<SystemLogEntry> entries = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM system_logs"
                    + (before == null ? "" : " WHERE id < ?") + " ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                if (before != null) {
                    ps.setLong(i++, before);
                }
                ps.setInt(i, limit);
                List<SystemLogEntry> page = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(new SystemLogEntry(rs.getLong("id"), instant(rs, "ts"), rs.getString("level"),
                                rs.getString("source"), rs.getString("worker_id"), rs.getString("message"),
                                rs.getString("stack_trace")));
                    }
                }
                return page;
            }
        });
        String next = entries.size() == limit ? Long.toString(entries.getLast().id()) : null;
        return new Page<>(entries, next);
    }

    private static long decode(String cursor) {
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed system log cursor '" + cursor + "'", e);
        }
    }
}
