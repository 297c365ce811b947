package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.instant;
import static dev.tasklane.postgres.Columns.integer;
import static dev.tasklane.postgres.Columns.json;
import static dev.tasklane.postgres.Columns.uuid;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.model.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads rows of {@code tasks} back into {@link Task} records. */
final class TaskRows {

    private TaskRows() {}

    static Task map(ResultSet rs) throws SQLException {
        String errorCode = rs.getString("error_code");
        TaskError error = errorCode == null
                ? null
                : new TaskError(errorCode, rs.getString("error_message"), rs.getBoolean("error_retryable"));
        Integer promptTokens = integer(rs, "prompt_tokens");
        Integer completionTokens = integer(rs, "completion_tokens");
        Integer totalTokens = integer(rs, "total_tokens");
        Usage usage = promptTokens == null && completionTokens == null && totalTokens == null
                ? null
                : new Usage(promptTokens, completionTokens, totalTokens);
        return new Task(
                uuid(rs, "id"),
                rs.getString("tenant_id"),
                uuid(rs, "batch_id"),
                uuid(rs, "conversation_id"),
                rs.getString("type"),
                rs.getString("model"),
                rs.getString("lane"),
                TaskStatus.fromWire(rs.getString("status")),
                Priority.fromWire(rs.getString("priority")),
                rs.getInt("attempt"),
                integer(rs, "max_attempts"),
                integer(rs, "timeout_seconds"),
                json(rs, "input"),
                rs.getString("response_text"),
                rs.getString("reasoning_text"),
                json(rs, "output"),
                error,
                usage,
                rs.getString("node"),
                rs.getString("worker_id"),
                instant(rs, "lease_until"),
                rs.getString("idempotency_key"),
                json(rs, "metadata"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                instant(rs, "run_at"));
    }

    /** The tenant's task, or empty when it has none of that id. */
    static Optional<Task> find(Connection c, String tenantId, UUID taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tasks WHERE id = ? AND tenant_id = ?")) {
            ps.setObject(1, taskId);
            ps.setString(2, tenantId);
            return one(ps);
        }
    }

    /** Any tenant's task. */
    static Optional<Task> byId(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM tasks WHERE id = ?")) {
            ps.setObject(1, taskId);
            return one(ps);
        }
    }

    /** Executes a query whose rows are whole tasks and maps them all. */
    static List<Task> all(PreparedStatement ps) throws SQLException {
        List<Task> tasks = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tasks.add(map(rs));
            }
        }
        return tasks;
    }

    /** Executes a query (or an UPDATE … RETURNING *) that yields at most one task. */
    static Optional<Task> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }
}
