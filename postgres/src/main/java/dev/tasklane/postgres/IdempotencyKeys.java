package dev.tasklane.postgres;

import static dev.tasklane.postgres.Columns.setInstant;

import dev.tasklane.core.model.Submission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of {@code idempotency_keys}: which submission holds a tenant's key. A key is held
 * for {@link #HELD_FOR} from its submission's createdAt; after that the next use takes it over.
 */
final class IdempotencyKeys {
    private static final Duration HELD_FOR = Duration.ofHours(24);

    /**
     * Inserts the key, or takes over a row that is no longer held. A concurrent insert of the
     * same key waits on the primary key until the first commits, then finds its row held.
     * When the row is held, ON CONFLICT still locks it, so it cannot change before it is read.
     */
    private static final String TAKE = """
            INSERT INTO idempotency_keys (tenant_id, key, batch_id, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (tenant_id, key) DO UPDATE SET batch_id = EXCLUDED.batch_id, created_at = EXCLUDED.created_at
            WHERE idempotency_keys.created_at < ?
            RETURNING batch_id""";

    private IdempotencyKeys() {}

    /**
     * Gives the submission's key to its batch, in the caller's transaction.
     *
     * @return empty when the batch now holds the key; else the batch that holds it
     */
    static Optional<UUID> take(Connection c, Submission s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TAKE)) {
            ps.setString(1, s.tenantId());
            ps.setString(2, s.idempotencyKey());
            ps.setObject(3, s.batchId());
            setInstant(ps, 4, s.createdAt());
            setInstant(ps, 5, s.createdAt().minus(HELD_FOR));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(holder(c, s));
    }

    private static UUID holder(Connection c, Submission s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT batch_id FROM idempotency_keys WHERE tenant_id = ? AND key = ?")) {
            ps.setString(1, s.tenantId());
            ps.setString(2, s.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException(
                            "idempotency key '" + s.idempotencyKey() + "' vanished while locked");
                }
                return Columns.uuid(rs, "batch_id");
            }
        }
    }
}
