package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.setInstant;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskQuery;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.port.TaskStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@link TaskStore} on the {@code tasks} table; every status change is one conditional UPDATE.
 * The sweeps of crash recovery live in {@link RecoverySweeps}, cancelling in {@link Cancellations}.
 */
final class JdbcTaskStore implements TaskStore, AutoCloseable {

    private final Database db;
    private final RecoverySweeps sweeps;
    private final Cancellations cancellations;
    private final TaskWriteGroups groups;

    JdbcTaskStore(Database db, GroupConnections groupConnections) {
        this.db = db;
        this.sweeps = new RecoverySweeps(db);
        this.cancellations = new Cancellations(db);
        this.groups = new TaskWriteGroups(db, groupConnections);
    }

    @Override
    public void close() {
        groups.close();
    }

    /**
     * A plain submission (no conversation, no idempotency key) shares a transaction with
     * concurrent ones. Otherwise the key is taken first: a concurrent submission with the
     * same key waits for this one to end.
     */
    @Override
    public Optional<UUID> insert(Submission submission) {
        if (submission.conversationId() == null && submission.idempotencyKey() == null) {
            SubmissionWriter.checkConsistent(submission);
            groups.insert(submission);
            return Optional.empty();
        }
        return db.inTransaction(c -> {
            if (submission.idempotencyKey() != null) {
                Optional<UUID> holder = IdempotencyKeys.take(c, submission);
                if (holder.isPresent()) {
                    return holder;
                }
            }
            SubmissionWriter.write(c, submission);
            return Optional.empty();
        });
    }

    @Override
    public Optional<Task> find(String tenantId, UUID taskId) {
        return db.withConnection(c -> TaskRows.find(c, tenantId, taskId));
    }

    @Override
    public Optional<Task> findById(UUID taskId) {
        return db.withConnection(c -> TaskRows.byId(c, taskId));
    }

    @Override
    public Page<Task> list(String tenantId, TaskQuery query) {
        TaskListQuery select = new TaskListQuery(tenantId, query);
        List<Task> tasks = db.withConnection(c -> {
            try (PreparedStatement ps = select.prepare(c)) {
                return TaskRows.all(ps);
            }
        });
        String next = tasks.size() == query.limit() ? tasks.getLast().id().toString() : null;
        return new Page<>(tasks, next);
    }

    /** Concurrent claims share one UPDATE (see {@link TaskWriteGroups}). */
    @Override
    public CompletableFuture<Optional<Task>> claim(UUID taskId, String workerId, Instant leaseUntil, Instant now) {
        TaskStatus.QUEUED.checkTransition(TaskStatus.RUNNING);
        return groups.claim(new TaskWriteGroups.Claim(taskId, workerId, leaseUntil, now));
    }

    /** Concurrent results share one transaction (see {@link TaskWriteGroups}). */
    @Override
    public CompletableFuture<Boolean> complete(UUID taskId, int attempt, TaskResult result, Instant finishedAt) {
        TaskStatus.RUNNING.checkTransition(TaskStatus.SUCCEEDED);
        return groups.complete(new TaskWriteGroups.Result(taskId, attempt, result, finishedAt));
    }

    @Override
    public boolean fail(UUID taskId, int attempt, TaskError error, Instant finishedAt) {
        TaskStatus.RUNNING.checkTransition(TaskStatus.FAILED);
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE tasks SET status = 'failed', error_code = ?, error_message = ?, error_retryable = ?,
                        lease_until = NULL, finished_at = ?, updated_at = ?
                    WHERE id = ? AND attempt = ? AND status = 'running'""")) {
                ps.setString(1, error.code());
                ps.setString(2, error.message());
                ps.setBoolean(3, error.retryable());
                setInstant(ps, 4, finishedAt);
                setInstant(ps, 5, finishedAt);
                ps.setObject(6, taskId);
                ps.setInt(7, attempt);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Set<UUID> renewLeases(Map<UUID, Integer> attempts, Instant leaseUntil) {
        if (attempts.isEmpty()) {
            return Set.of();
        }
        // the status fence is an expression for the reason TaskWriteGroups gives
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE tasks t SET lease_until = ?
                    FROM unnest(?::uuid[], ?::int[]) AS held (id, attempt)
                    WHERE t.id = held.id AND t.attempt = held.attempt AND (t.status || '') = 'running'
                    RETURNING t.id""")) {
                setInstant(ps, 1, leaseUntil);
                ps.setArray(2, c.createArrayOf("uuid", attempts.keySet().toArray()));
                ps.setArray(3, c.createArrayOf("integer", attempts.values().toArray()));
                Set<UUID> renewed = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        renewed.add(Columns.uuid(rs, "id"));
                    }
                }
                return renewed;
            }
        });
    }

    @Override
    public boolean retryLater(UUID taskId, int attempt, TaskError error, Instant runAt, Instant now) {
        TaskStatus.RUNNING.checkTransition(TaskStatus.SCHEDULED);
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE tasks SET status = 'scheduled', run_at = ?, error_code = ?, error_message = ?,
                        error_retryable = ?, lease_until = NULL, updated_at = ?
                    WHERE id = ? AND attempt = ? AND status = 'running'""")) {
                setInstant(ps, 1, runAt);
                ps.setString(2, error.code());
                ps.setString(3, error.message());
                ps.setBoolean(4, error.retryable());
                setInstant(ps, 5, now);
                ps.setObject(6, taskId);
                ps.setInt(7, attempt);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean handBack(UUID taskId, int attempt, Instant now) {
        TaskStatus.RUNNING.checkTransition(TaskStatus.QUEUED);
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE tasks SET status = 'queued', lease_until = NULL, worker_id = NULL, enqueued_at = ?,
                        updated_at = ?
                    WHERE id = ? AND attempt = ? AND status = 'running'""")) {
                setInstant(ps, 1, now);
                setInstant(ps, 2, now);
                ps.setObject(3, taskId);
                ps.setInt(4, attempt);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Task> expireLeases(Instant now, int limit) {
        return sweeps.expireLeases(now, limit);
    }

    @Override
    public List<Task> promoteDue(Instant now, int limit) {
        return sweeps.promoteDue(now, limit);
    }

    @Override
    public List<Task> takeStaleQueued(String lane, Priority priority, Instant before, Instant now, int limit) {
        return sweeps.takeStaleQueued(lane, priority, before, now, limit);
    }

    @Override
    public Optional<Cancellation> cancel(String tenantId, UUID taskId, Instant now) {
        return cancellations.cancel(tenantId, taskId, now);
    }

    @Override
    public List<Task> cancelBatch(String tenantId, UUID batchId, Instant now) {
        return cancellations.cancelBatch(tenantId, batchId, now);
    }
}
