package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.instant;
import static dev.tasklane.postgres.Columns.setInstant;
import static dev.tasklane.postgres.Columns.uuid;

import dev.tasklane.core.model.TaskEvent;
import dev.tasklane.core.port.TaskEventLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * {@link TaskEventLog} on {@code task_events}; the order of appending is the order of listing.
 * Appends from concurrent workers share transactions ({@link GroupCommit}).
 */
final class JdbcTaskEventLog implements TaskEventLog, AutoCloseable {

    private final Database db;
    private final GroupCommit<TaskEvent, Integer> appends;

    JdbcTaskEventLog(Database db) {
        this.db = db;
        this.appends = new GroupCommit<>(db, "task-events", GroupCommit.defaultWriters(), 500,
                GroupCommit.Transaction.ONE_TRANSACTION, JdbcTaskEventLog::insert);
    }

    /** The event carries no tenant: the row takes its task's. Throws for an unknown task. */
    @Override
    public void append(TaskEvent event) {
        int inserted = appends.submit(event);
        if (inserted == 0) {
            throw new NoSuchElementException("no task " + event.taskId() + " to log '" + event.message() + "' for");
        }
    }

    private static List<Integer> insert(Connection c, List<TaskEvent> events) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO task_events (task_id, tenant_id, ts, level, message, attempt)
                SELECT id, tenant_id, ?, ?, ?, ? FROM tasks WHERE id = ?""")) {
            for (TaskEvent event : events) {
                setInstant(ps, 1, event.ts());
                ps.setString(2, event.level());
                ps.setString(3, event.message());
                ps.setInt(4, event.attempt());
                ps.setObject(5, event.taskId());
                ps.addBatch();
            }
            return Arrays.stream(ps.executeBatch()).boxed().toList();
        }
    }

    @Override
    public void close() {
        appends.close();
    }

    @Override
    public List<TaskEvent> list(UUID taskId) {
        return db.withConnection(c -> {
            // a task's first line is not stored: every task starts queued on its lane at
            // created_at, which its row says already (one insert less per submitted task)
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id AS task_id, created_at AS ts, 'INFO' AS level, 'queued on lane ' || lane AS message,
                        0 AS attempt, 0 AS seq
                    FROM tasks WHERE id = ?
                    UNION ALL
                    SELECT task_id, ts, level, message, attempt, id FROM task_events WHERE task_id = ?
                    ORDER BY seq""")) {
                ps.setObject(1, taskId);
                ps.setObject(2, taskId);
                List<TaskEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new TaskEvent(uuid(rs, "task_id"), instant(rs, "ts"), rs.getString("level"),
                                rs.getString("message"), rs.getInt("attempt")));
                    }
                }
                return events;
            }
        });
    }
}
