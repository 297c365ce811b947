package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.instant;
import static dev.tasklane.postgres.Columns.setInstant;
import static dev.tasklane.postgres.Columns.uuid;

import dev.tasklane.core.model.DeadLetter;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.port.DeadLetterStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link DeadLetterStore} on {@code dead_letters}. Ids are UUIDv7, so id order is age order;
 * the cursor of a page is the last id on it.
 */
final class JdbcDeadLetterStore implements DeadLetterStore {

    private final Database db;

    JdbcDeadLetterStore(Database db) {
        this.db = db;
    }

    @Override
    public void add(DeadLetter letter) {
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO dead_letters (id, tenant_id, lane, entry_id, task_id, reason, payload, deliveries,
                        created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setObject(1, letter.id());
                ps.setString(2, letter.tenantId());
                ps.setString(3, letter.lane());
                ps.setString(4, letter.entryId());
                ps.setObject(5, letter.taskId());
                ps.setString(6, letter.reason());
                ps.setString(7, letter.payload());
                ps.setLong(8, letter.deliveries());
                setInstant(ps, 9, letter.createdAt());
                return ps.executeUpdate();
            }
        });
    }

    /** @param lane null for every lane */
    @Override
    public Page<DeadLetter> list(String lane, int limit, String cursor) {
        PageLimit.check(limit);
        UUID before = cursor == null ? null : decode(cursor);
        List<DeadLetter> letters = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dead_letters WHERE true"
                    + (lane == null ? "" : " AND lane = ?")
                    + (before == null ? "" : " AND id < ?")
                    + " ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                if (lane != null) {
                    ps.setString(i++, lane);
                }
                if (before != null) {
                    ps.setObject(i++, before);
                }
                ps.setInt(i, limit);
                List<DeadLetter> page = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(map(rs));
                    }
                }
                return page;
            }
        });
        String next = letters.size() == limit ? letters.getLast().id().toString() : null;
        return new Page<>(letters, next);
    }

    private static UUID decode(String cursor) {
        try {
            return UUID.fromString(cursor);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed dead letter cursor '" + cursor + "'", e);
        }
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM dead_letters WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean delete(UUID id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dead_letters WHERE id = ?")) {
                ps.setObject(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static DeadLetter map(ResultSet rs) throws SQLException {
        return new DeadLetter(uuid(rs, "id"), rs.getString("tenant_id"), rs.getString("lane"),
                rs.getString("entry_id"), uuid(rs, "task_id"), rs.getString("reason"), rs.getString("payload"),
                rs.getLong("deliveries"), instant(rs, "created_at"));
    }
}
