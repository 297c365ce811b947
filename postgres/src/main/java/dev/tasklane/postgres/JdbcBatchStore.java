package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.instant;
import static dev.tasklane.postgres.Columns.uuid;

import dev.tasklane.core.model.Batch;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.BatchStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link BatchStore} on {@code batches}; ids are made in order, so id order is submission order. */
final class JdbcBatchStore implements BatchStore {

    private final Database db;

    JdbcBatchStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Batch> find(String tenantId, UUID batchId) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM batches WHERE id = ? AND tenant_id = ?")) {
                ps.setObject(1, batchId);
                ps.setString(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Batch(uuid(rs, "id"), rs.getString("tenant_id"),
                            uuid(rs, "conversation_id"), instant(rs, "created_at"), tasks(c, tenantId, batchId)));
                }
            }
        });
    }

    private static List<Task> tasks(Connection c, String tenantId, UUID batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM tasks WHERE batch_id = ? AND tenant_id = ? ORDER BY id")) {
            ps.setObject(1, batchId);
            ps.setString(2, tenantId);
            return TaskRows.all(ps);
        }
    }
}
