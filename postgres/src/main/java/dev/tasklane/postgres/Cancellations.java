package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.setInstant;

import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.port.TaskStore.Cancellation;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Cancelling at a client's request. One statement locks the tasks that have not ended, in id
 * order, and cancels them: a task that ends meanwhile is seen ended once its lock is free
 * and is left alone, so an ended task is never changed.
 */
final class Cancellations {

    private static final String CANCEL_TASK = cancelWhere("id = ?");
    private static final String CANCEL_BATCH = cancelWhere(BatchMembers.CONDITION);

    private final Database db;

    Cancellations(Database db) {
        this.db = db;
    }

    /** The statement that cancels the live tasks matching {@code selection} and logs each. */
    private static String cancelWhere(String selection) {
        return """
                WITH live AS (
                    SELECT id, status FROM tasks
                    WHERE %s AND tenant_id = ? AND status IN ('scheduled', 'queued', 'running')
                    ORDER BY id
                    FOR UPDATE
                ), cancelled AS (
                    UPDATE tasks t SET status = 'cancelled', error_code = 'cancelled',
                        error_message = 'cancelled by a client', error_retryable = false,
                        lease_until = NULL, finished_at = ?, updated_at = ?
                    FROM live
                    WHERE t.id = live.id AND t.status IN ('scheduled', 'queued', 'running')
                    RETURNING t.*, live.status AS previous_status
                ), logged AS (
                    INSERT INTO task_events (task_id, tenant_id, ts, level, message, attempt)
                    SELECT id, tenant_id, ?, 'INFO', 'cancelled by a client', attempt FROM cancelled
                )
                SELECT * FROM cancelled ORDER BY id""".formatted(selection);
    }

    /**
     * When nothing was cancelled the task is read again: it is unknown to the tenant, or it
     * has ended, and an ended task stays as it is.
     */
    Optional<Cancellation> cancel(String tenantId, UUID taskId, Instant now) {
        checkCancellable();
        List<Cancellation> cancelled = run(CANCEL_TASK, 1, tenantId, taskId, now);
        if (!cancelled.isEmpty()) {
            return Optional.of(cancelled.getFirst());
        }
        return db.withConnection(c -> TaskRows.find(c, tenantId, taskId))
                .map(task -> new Cancellation(task, task.status(), false));
    }

    List<Task> cancelBatch(String tenantId, UUID batchId, Instant now) {
        checkCancellable();
        return run(CANCEL_BATCH, BatchMembers.PARAMETERS, tenantId, batchId, now).stream().map(Cancellation::task).toList();
    }

    private static void checkCancellable() {
        TaskStatus.SCHEDULED.checkTransition(TaskStatus.CANCELLED);
        TaskStatus.QUEUED.checkTransition(TaskStatus.CANCELLED);
        TaskStatus.RUNNING.checkTransition(TaskStatus.CANCELLED);
    }

    /** @param selections how many parameters the statement's selection has, each bound to {@code selected} */
    private List<Cancellation> run(String sql, int selections, String tenantId, UUID selected, Instant now) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 1; i <= selections; i++) {
                    ps.setObject(i, selected);
                }
                ps.setString(selections + 1, tenantId);
                setInstant(ps, selections + 2, now);
                setInstant(ps, selections + 3, now);
                setInstant(ps, selections + 4, now);
                return read(ps);
            }
        });
    }

    private static List<Cancellation> read(PreparedStatement ps) throws SQLException {
        List<Cancellation> cancelled = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                cancelled.add(new Cancellation(TaskRows.map(rs),
                        TaskStatus.fromWire(rs.getString("previous_status")), true));
            }
        }
        return cancelled;
    }
}
