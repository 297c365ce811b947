package dev.tasklane.postgres;

import dev.tasklane.core.model.Batch;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.BatchStore;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link BatchStore} on {@code tasks}; ids are made in order, so id order is submission order. */
final class JdbcBatchStore implements BatchStore {

    private final Database db;

    JdbcBatchStore(Database db) {
        this.db = db;
    }

    /** A batch is its tasks: they carry its id, tenant and conversation; it was made with its first task. */
    @Override
    public Optional<Batch> find(String tenantId, UUID batchId) {
        List<Task> tasks = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT * FROM tasks WHERE " + BatchMembers.CONDITION + " AND tenant_id = ? ORDER BY id")) {
                ps.setString(BatchMembers.bind(ps, 1, batchId), tenantId);
                return TaskRows.all(ps);
            }
        });
        if (tasks.isEmpty()) {
            return Optional.empty();
        }
        Task first = tasks.getFirst();
        return Optional.of(new Batch(batchId, tenantId, first.conversationId(), first.createdAt(), tasks));
    }
}
