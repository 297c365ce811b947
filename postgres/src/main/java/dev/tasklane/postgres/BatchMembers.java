package dev.tasklane.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The condition that selects a batch's tasks. A task submitted alone is a batch of one whose
 * id is its own, and {@code tasks_by_batch} holds only the rows of other batches, so the
 * condition names both halves: one read through that index, the other by primary key.
 */
final class BatchMembers {
    /** {@code batch_id = ?}, said so that the planner can use the partial index; binds the batch id twice. */
    static final String CONDITION = "((batch_id = ? AND batch_id <> id) OR (id = ? AND batch_id = id))";
    /** How many parameters {@link #CONDITION} has, each the batch id. */
    static final int PARAMETERS = 2;

    private BatchMembers() {}

    /** Binds the batch id to the condition's two parameters from {@code index} on; returns the next index. */
    static int bind(PreparedStatement ps, int index, UUID batchId) throws SQLException {
        for (int i = 0; i < PARAMETERS; i++) {
            ps.setObject(index + i, batchId);
        }
        return index + PARAMETERS;
    }
}
