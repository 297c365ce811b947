package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.setInstant;

import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.model.Conversation;
import dev.tasklane.core.model.ConversationMessage;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.ConversationStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** {@link ConversationStore} on {@code conversations} and {@code messages}. */
final class JdbcConversationStore implements ConversationStore {

    /**
     * Every message of the turns stored before the task's own: turns are ordered by their user
     * message's seq, and a turn's answers may have arrived after later turns were submitted.
     * A task whose own turn has no user message comes after every stored turn.
     */
    private static final String EARLIER_TURNS = """
            WITH own_turn AS (
                SELECT seq FROM messages WHERE conversation_id = ? AND batch_id = ? AND role = 'user'
            ), earlier_batches AS (
                SELECT batch_id FROM messages
                WHERE conversation_id = ? AND role = 'user'
                  AND seq < COALESCE((SELECT seq FROM own_turn), 9223372036854775807)
            )
            SELECT * FROM messages
            WHERE conversation_id = ? AND tenant_id = ? AND batch_id IN (SELECT batch_id FROM earlier_batches)
            ORDER BY seq""";

    private final Database db;

    JdbcConversationStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Conversation> find(String tenantId, UUID conversationId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM conversations WHERE id = ? AND tenant_id = ?")) {
                ps.setObject(1, conversationId);
                ps.setString(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(ConversationRows.conversation(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public Page<Conversation> list(String tenantId, int limit, String cursor) {
        PageLimit.check(limit);
        ConversationCursor after = cursor == null ? null : ConversationCursor.decode(cursor);
        List<Conversation> page = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM conversations WHERE tenant_id = ?"
                    + (after == null ? "" : " AND (last_active_at, id) < (?, ?)")
                    + " ORDER BY last_active_at DESC, id DESC LIMIT ?")) {
                int i = 1;
                ps.setString(i++, tenantId);
                if (after != null) {
                    setInstant(ps, i++, after.lastActiveAt());
                    ps.setObject(i++, after.id());
                }
                ps.setInt(i, limit);
                List<Conversation> conversations = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        conversations.add(ConversationRows.conversation(rs));
                    }
                }
                return conversations;
            }
        });
        if (page.size() < limit) {
            return new Page<>(page, null);
        }
        Conversation last = page.getLast();
        return new Page<>(page, new ConversationCursor(last.lastActiveAt(), last.id()).encode());
    }

    @Override
    public List<ConversationMessage> messages(String tenantId, UUID conversationId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM messages WHERE conversation_id = ? AND tenant_id = ? ORDER BY seq")) {
                ps.setObject(1, conversationId);
                ps.setString(2, tenantId);
                return readMessages(ps);
            }
        });
    }

    /**
     * Deletes the conversation first (its messages go by cascade), which also makes a
     * concurrent submission or completion on it wait or find it gone; then detaches the
     * batches and tasks, which keep running without it.
     */
    @Override
    public boolean delete(String tenantId, UUID conversationId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM conversations WHERE id = ? AND tenant_id = ?")) {
                ps.setObject(1, conversationId);
                ps.setString(2, tenantId);
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            detach(c, "tasks", tenantId, conversationId);
            return true;
        });
    }

    private static void detach(Connection c, String table, String tenantId, UUID conversationId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET conversation_id = NULL WHERE tenant_id = ? AND conversation_id = ?")) {
            ps.setString(1, tenantId);
            ps.setObject(2, conversationId);
            ps.executeUpdate();
        }
    }

    /** A turn without a stored answer (failed, or still running) contributes its user message alone. */
    @Override
    public List<ChatMessage> historyBefore(Task task) {
        if (task.conversationId() == null) {
            return List.of();
        }
        List<ConversationMessage> earlier = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(EARLIER_TURNS)) {
                ps.setObject(1, task.conversationId());
                ps.setObject(2, task.batchId());
                ps.setObject(3, task.conversationId());
                ps.setObject(4, task.conversationId());
                ps.setString(5, task.tenantId());
                return readMessages(ps);
            }
        });
        Map<UUID, Turn> turns = new LinkedHashMap<>();
        for (ConversationMessage m : earlier) {
            // ordered by seq: a turn's user message comes before its answers
            if (m.role().equals("user")) {
                turns.put(m.batchId(), new Turn(m.content(), new ArrayList<>()));
            } else {
                turns.get(m.batchId()).answers().add(m);
            }
        }
        List<ChatMessage> history = new ArrayList<>();
        for (Turn turn : turns.values()) {
            history.add(new ChatMessage("user", turn.prompt()));
            turn.answerFor(task.model()).ifPresent(answer -> history.add(new ChatMessage("assistant", answer)));
        }
        return history;
    }

    /** One earlier turn: the user's prompt and the answers stored for it, oldest first. */
    private record Turn(String prompt, List<ConversationMessage> answers) {
        /** The answer of this model when it gave one, else the first stored. */
        Optional<String> answerFor(String model) {
            return answers.stream().filter(a -> Objects.equals(a.model(), model)).findFirst()
                    .or(() -> answers.stream().findFirst())
                    .map(ConversationMessage::content);
        }
    }

    private static List<ConversationMessage> readMessages(PreparedStatement ps) throws SQLException {
        List<ConversationMessage> messages = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                messages.add(ConversationRows.message(rs));
            }
        }
        return messages;
    }
}
