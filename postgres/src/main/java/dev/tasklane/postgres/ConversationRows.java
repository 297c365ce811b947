package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.instant;
import static dev.tasklane.postgres.Columns.setInstant;
import static dev.tasklane.postgres.Columns.uuid;

import dev.tasklane.core.model.Conversation;
import dev.tasklane.core.model.ConversationMessage;
import dev.tasklane.core.model.Task;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Rows of {@code conversations} and {@code messages}: how they map back, and the assistant turn a completion adds. */
final class ConversationRows {

    private ConversationRows() {}

    static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(uuid(rs, "id"), rs.getString("tenant_id"), rs.getString("system_prompt"),
                instant(rs, "created_at"), instant(rs, "last_active_at"));
    }

    static ConversationMessage message(ResultSet rs) throws SQLException {
        return new ConversationMessage(rs.getLong("seq"), uuid(rs, "conversation_id"), uuid(rs, "batch_id"),
                uuid(rs, "task_id"), rs.getString("role"), rs.getString("content"), rs.getString("model"),
                instant(rs, "created_at"));
    }

    /** Stores a succeeded chat task's answer as the assistant's turn and marks the conversation active. */
    static void appendAnswer(Connection c, Task task, UUID conversationId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO messages (tenant_id, conversation_id, batch_id, task_id, role, content, model, created_at)
                VALUES (?, ?, ?, ?, 'assistant', ?, ?, ?)""")) {
            ps.setString(1, task.tenantId());
            ps.setObject(2, conversationId);
            ps.setObject(3, task.batchId());
            ps.setObject(4, task.id());
            ps.setString(5, task.responseText());
            ps.setString(6, task.model());
            setInstant(ps, 7, at);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE conversations SET last_active_at = GREATEST(last_active_at, ?) WHERE id = ?")) {
            setInstant(ps, 1, at);
            ps.setObject(2, conversationId);
            ps.executeUpdate();
        }
    }
}
