package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.setBoolean;
import static dev.tasklane.postgres.Columns.setInstant;
import static dev.tasklane.postgres.Columns.setInteger;
import static dev.tasklane.postgres.Columns.setJson;

import dev.tasklane.core.engine.NotFoundException;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.model.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * Writes every row of one {@link Submission} on a connection whose transaction the caller owns.
 * Every task stores the submission's idempotency key and is enqueued at the submission's createdAt.
 */
final class SubmissionWriter {

    /** A plain INSERT: the driver rewrites a batch of them into multi-row statements. */
    private static final String INSERT_TASK = """
            INSERT INTO tasks (id, tenant_id, batch_id, conversation_id, type, model, lane,
                status, priority, attempt, max_attempts, timeout_seconds, input, response_text, reasoning_text,
                output, error_code, error_message, error_retryable, prompt_tokens, completion_tokens,
                total_tokens, node, worker_id, lease_until, idempotency_key, metadata, created_at, started_at,
                finished_at, run_at, updated_at, enqueued_at, attempt_started_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                ?::jsonb, ?, ?, ?, ?, ?, ?, ?)""";
    /**
     * A task inserted claimed, with the same "claimed" line a claim writes
     * (TaskWriteGroups.claimAll), in one statement: the insert costs no round trip more.
     */
    private static final String INSERT_CLAIMED_TASK = "WITH created AS (" + INSERT_TASK + """

                RETURNING id, tenant_id, attempt, worker_id, attempt_started_at)
            INSERT INTO task_events (task_id, tenant_id, ts, level, message, attempt)
            SELECT id, tenant_id, attempt_started_at, 'INFO',
                'attempt ' || attempt || ' claimed by worker ' || worker_id, attempt
            FROM created""";

    private SubmissionWriter() {}

    static void write(Connection c, Submission s) throws SQLException {
        checkConsistent(s);
        if (s.conversationId() != null) {
            if (s.newConversation()) {
                insertConversation(c, s);
            } else {
                touchConversation(c, s);
            }
        }
        if (s.userMessage() != null) {
            insertUserMessage(c, s);
        }
        insertTasks(c, List.of(s));
    }

    /**
     * The tasks of the submissions, every field: one batched INSERT for the queued ones,
     * which the driver sends as multi-row statements, and one for those claimed on
     * creation with their "claimed" lines. Plain submissions (no conversation, no
     * idempotency key) need nothing more, so concurrent ones are written together this way.
     */
    static void insertTasks(Connection c, List<Submission> submissions) throws SQLException {
        insertAll(c, INSERT_TASK, submissions, TaskStatus.QUEUED);
        insertAll(c, INSERT_CLAIMED_TASK, submissions, TaskStatus.RUNNING);
    }

    /** The tasks of the submissions in {@code status}, in one batch; none, no round trip. */
    private static void insertAll(Connection c, String sql, List<Submission> submissions, TaskStatus status)
            throws SQLException {
        if (submissions.stream().flatMap(s -> s.tasks().stream()).noneMatch(t -> t.status() == status)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Submission s : submissions) {
                for (Task t : s.tasks()) {
                    if (t.status() == status) {
                        bindTask(ps, t, s);
                        ps.addBatch();
                    }
                }
            }
            ps.executeBatch();
        }
    }

    static void checkConsistent(Submission s) {
        if (s.tasks().isEmpty()) {
            throw new IllegalArgumentException("a submission needs at least one task");
        }
        for (Task t : s.tasks()) {
            if (!t.tenantId().equals(s.tenantId()) || !t.batchId().equals(s.batchId())
                    || !Objects.equals(t.conversationId(), s.conversationId())) {
                throw new IllegalArgumentException("task " + t.id() + " does not belong to batch " + s.batchId());
            }
            if (t.idempotencyKey() != null && !t.idempotencyKey().equals(s.idempotencyKey())) {
                throw new IllegalArgumentException("task " + t.id() + " has another idempotency key than its batch");
            }
            boolean claimedOnCreation = t.status() == TaskStatus.RUNNING && t.attempt() == 1 && t.workerId() != null
                    && t.leaseUntil() != null && t.createdAt().equals(t.startedAt());
            if (t.status() != TaskStatus.QUEUED && !claimedOnCreation) {
                throw new IllegalArgumentException("task " + t.id() + " is " + t.status().wire()
                        + "; a new task is queued, or running in its first attempt, claimed on creation");
            }
        }
    }

    private static void insertConversation(Connection c, Submission s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO conversations (id, tenant_id, system_prompt, created_at, last_active_at)
                VALUES (?, ?, ?, ?, ?)""")) {
            ps.setObject(1, s.conversationId());
            ps.setString(2, s.tenantId());
            ps.setString(3, s.systemPrompt());
            setInstant(ps, 4, s.createdAt());
            setInstant(ps, 5, s.createdAt());
            ps.executeUpdate();
        }
    }

    /** Also locks the conversation, so a concurrent delete either ran before (and this fails) or waits. */
    private static void touchConversation(Connection c, Submission s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE conversations SET last_active_at = GREATEST(last_active_at, ?)
                WHERE id = ? AND tenant_id = ?""")) {
            setInstant(ps, 1, s.createdAt());
            ps.setObject(2, s.conversationId());
            ps.setString(3, s.tenantId());
            if (ps.executeUpdate() == 0) {
                throw new NotFoundException("conversation_id", "conversation " + s.conversationId() + " not found");
            }
        }
    }

    private static void insertUserMessage(Connection c, Submission s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO messages (tenant_id, conversation_id, batch_id, task_id, role, content, model, created_at)
                VALUES (?, ?, ?, ?, 'user', ?, ?, ?)""")) {
            ps.setString(1, s.tenantId());
            ps.setObject(2, s.conversationId());
            ps.setObject(3, s.batchId());
            ps.setObject(4, s.tasks().getFirst().id());
            ps.setString(5, s.userMessage());
            ps.setString(6, s.userModel());
            setInstant(ps, 7, s.createdAt());
            ps.executeUpdate();
        }
    }

    private static void bindTask(PreparedStatement ps, Task t, Submission s) throws SQLException {
        TaskError error = t.error();
        Usage usage = t.usage();
        ps.setObject(1, t.id());
        ps.setString(2, t.tenantId());
        ps.setObject(3, t.batchId());
        ps.setObject(4, t.conversationId());
        ps.setString(5, t.type());
        ps.setString(6, t.model());
        ps.setString(7, t.lane());
        ps.setString(8, t.status().wire());
        ps.setString(9, t.priority().wire());
        ps.setInt(10, t.attempt());
        setInteger(ps, 11, t.maxAttempts());
        setInteger(ps, 12, t.timeoutSeconds());
        setJson(ps, 13, t.input());
        ps.setString(14, t.responseText());
        ps.setString(15, t.reasoningText());
        setJson(ps, 16, t.output());
        ps.setString(17, error == null ? null : error.code());
        ps.setString(18, error == null ? null : error.message());
        setBoolean(ps, 19, error == null ? null : error.retryable());
        setInteger(ps, 20, usage == null ? null : usage.promptTokens());
        setInteger(ps, 21, usage == null ? null : usage.completionTokens());
        setInteger(ps, 22, usage == null ? null : usage.totalTokens());
        ps.setString(23, t.node());
        ps.setString(24, t.workerId());
        setInstant(ps, 25, t.leaseUntil());
        ps.setString(26, s.idempotencyKey());
        setJson(ps, 27, t.metadata());
        setInstant(ps, 28, t.createdAt());
        setInstant(ps, 29, t.startedAt());
        setInstant(ps, 30, t.finishedAt());
        setInstant(ps, 31, t.runAt());
        setInstant(ps, 32, s.createdAt());
        setInstant(ps, 33, s.createdAt());
        setInstant(ps, 34, t.startedAt());
    }
}
