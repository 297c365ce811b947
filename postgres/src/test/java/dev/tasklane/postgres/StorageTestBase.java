package dev.tasklane.postgres;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * Gives each test class a migrated database of its own (dropped afterwards) and each test
 * a fresh {@link TestData} with a tenant of its own, so tests never see each other's rows;
 * tests of what sees every tenant (sweeps, dead letters, the system log) {@link #truncate} first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageTestBase {

    TestDatabase database;
    PostgresStorage storage;
    TestData data;

    @BeforeAll
    void openStorage() {
        database = TestPostgres.newDatabase(getClass().getSimpleName());
        storage = PostgresStorage.open(database.jdbcUrl(), null, null, 4);
        storage.migrate();
    }

    @AfterAll
    void dropDatabase() {
        if (storage != null) {
            storage.close();
        }
        if (database != null) {
            database.drop();
        }
    }

    @BeforeEach
    void newTenant() {
        data = new TestData();
    }

    /** Runs a query whose one row has one number, e.g. a count. */
    long number(String sql, Object... params) {
        try (Connection c = storage.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** When the task's id was last published, by the tasks table's enqueued_at. */
    Instant enqueuedAt(UUID taskId) {
        return enqueuedAt(storage, taskId);
    }

    static Instant enqueuedAt(PostgresStorage storage, UUID taskId) {
        try (Connection c = storage.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT enqueued_at FROM tasks WHERE id = ?")) {
            ps.setObject(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read enqueued_at of " + taskId, e);
        }
    }

    /** One queued task on lane-a, normal priority, three attempts. */
    Task insertSingle() {
        Submission submission = data.single("lane-a", Priority.NORMAL, 3);
        storage.tasks().insert(submission);
        return submission.tasks().getFirst();
    }

    /** Claims the task for worker-1 a second after {@code data.now()}, with a lease of a minute. */
    Task claim(Task task) {
        Instant now = data.now().plusSeconds(1);
        return storage.tasks().claim(task.id(), "worker-1", now.plusSeconds(60), now).join().orElseThrow();
    }

    /** Empties tables of this class's database, for tests of listings and sweeps that see every tenant. */
    void truncate(String tables) {
        try (Connection c = storage.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + tables);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty " + tables, e);
        }
    }
}
