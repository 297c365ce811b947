package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.setInstant;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskStatus;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/**
 * The sweeps that bring tasks back after a crash or a lost stream entry. Each is one
 * statement that picks its rows with {@code FOR UPDATE SKIP LOCKED}, so sweepers in several
 * processes may run at once and each row is changed by one of them. Results come in id order.
 */
final class RecoverySweeps {

    /**
     * Running rows whose lease ran out: queued again while attempts remain, else failed.
     * Each changed row gets a WARN event naming the attempt and the worker that lost it.
     */
    private static final String EXPIRE_LEASES = """
            WITH expired AS (
                SELECT id, worker_id AS lost_worker_id, attempt < COALESCE(max_attempts, 1) AS requeue
                FROM tasks
                WHERE status = 'running' AND lease_until < ?
                ORDER BY lease_until
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), changed AS (
                UPDATE tasks t SET
                    status = CASE WHEN e.requeue THEN 'queued' ELSE 'failed' END,
                    enqueued_at = CASE WHEN e.requeue THEN ? ELSE t.enqueued_at END,
                    worker_id = CASE WHEN e.requeue THEN NULL ELSE t.worker_id END,
                    error_code = CASE WHEN e.requeue THEN t.error_code ELSE 'lease_expired' END,
                    error_message = CASE WHEN e.requeue THEN t.error_message
                        ELSE 'the worker stopped renewing its lease' END,
                    error_retryable = CASE WHEN e.requeue THEN t.error_retryable ELSE false END,
                    finished_at = CASE WHEN e.requeue THEN t.finished_at ELSE ? END,
                    lease_until = NULL,
                    updated_at = ?
                FROM expired e
                WHERE t.id = e.id AND t.status = 'running'
                RETURNING t.*, e.lost_worker_id
            ), logged AS (
                INSERT INTO task_events (task_id, tenant_id, ts, level, message, attempt)
                SELECT id, tenant_id, ?, 'WARN',
                    'lease of attempt ' || attempt || ' expired (worker ' || COALESCE(lost_worker_id, 'unknown')
                        || '); ' || CASE WHEN status = 'queued' THEN 'queued again' ELSE 'no attempts left' END,
                    attempt
                FROM changed
            )
            SELECT * FROM changed ORDER BY id""";

    private static final String PROMOTE_DUE = """
            WITH due AS (
                SELECT id FROM tasks
                WHERE status = 'scheduled' AND run_at <= ?
                ORDER BY run_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), promoted AS (
                UPDATE tasks t SET status = 'queued', enqueued_at = ?, updated_at = ?
                FROM due
                WHERE t.id = due.id AND t.status = 'scheduled'
                RETURNING t.*
            )
            SELECT * FROM promoted ORDER BY id""";

    private static final String TAKE_STALE_QUEUED = """
            WITH stale AS (
                SELECT id FROM tasks
                WHERE status = 'queued' AND lane = ? AND priority = ? AND enqueued_at < ?
                ORDER BY enqueued_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), taken AS (
                UPDATE tasks t SET enqueued_at = ?
                FROM stale
                WHERE t.id = stale.id AND t.status = 'queued'
                RETURNING t.*
            )
            SELECT * FROM taken ORDER BY id""";

    private final Database db;

    RecoverySweeps(Database db) {
        this.db = db;
    }

    List<Task> expireLeases(Instant now, int limit) {
        TaskStatus.RUNNING.checkTransition(TaskStatus.QUEUED);
        TaskStatus.RUNNING.checkTransition(TaskStatus.FAILED);
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(EXPIRE_LEASES)) {
                setInstant(ps, 1, now);
                ps.setInt(2, limit);
                setInstant(ps, 3, now);
                setInstant(ps, 4, now);
                setInstant(ps, 5, now);
                setInstant(ps, 6, now);
                return TaskRows.all(ps);
            }
        });
    }

    /** run_at is kept: it tells when the task became due. */
    List<Task> promoteDue(Instant now, int limit) {
        TaskStatus.SCHEDULED.checkTransition(TaskStatus.QUEUED);
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(PROMOTE_DUE)) {
                setInstant(ps, 1, now);
                ps.setInt(2, limit);
                setInstant(ps, 3, now);
                setInstant(ps, 4, now);
                return TaskRows.all(ps);
            }
        });
    }

    /** No status changes, so updated_at stays: only the time of publication moves. */
    List<Task> takeStaleQueued(String lane, Priority priority, Instant before, Instant now, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(TAKE_STALE_QUEUED)) {
                ps.setString(1, lane);
                ps.setString(2, priority.wire());
                setInstant(ps, 3, before);
                ps.setInt(4, limit);
                setInstant(ps, 5, now);
                return TaskRows.all(ps);
            }
        });
    }
}
