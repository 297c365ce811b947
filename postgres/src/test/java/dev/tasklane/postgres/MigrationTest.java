package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.DeadLetter;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** The later versions on a database that already holds rows written under version 1. */
class MigrationTest {

    private static final UUID OLD_BATCH = UUID.fromString("0190a000-0000-7000-8000-000000000001");
    private static final UUID NEW_BATCH = UUID.fromString("0190a000-0000-7000-8000-000000000002");
    private static final UUID TASK = UUID.fromString("0190a000-0000-7000-8000-000000000003");

    @Test
    void version2KeepsWhatVersion1Stored() throws SQLException {
        TestDatabase database = TestPostgres.newDatabase("MigrationTest");
        try {
            Flyway.configure().dataSource(database.jdbcUrl(), null, null).locations("classpath:db/migration")
                    .target("1").load().migrate();
            try (Connection c = DriverManager.getConnection(database.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("""
                        INSERT INTO batches (id, tenant_id, created_at, task_count) VALUES
                            ('%1$s', 't', '2026-11-01T08:00:00Z', 1), ('%2$s', 't', '2026-11-01T09:00:00Z', 1);
                        INSERT INTO tasks (id, tenant_id, batch_id, type, lane, status, priority, idempotency_key,
                            created_at, updated_at) VALUES
                            ('%3$s', 't', '%1$s', 'work', 'lane-a', 'queued', 'normal', 'k',
                                '2026-11-01T08:00:00Z', '2026-11-01T08:00:00Z'),
                            (gen_random_uuid(), 't', '%2$s', 'work', 'lane-a', 'queued', 'normal', 'k',
                                '2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z');
                        INSERT INTO dead_letters (lane, entry_id, reason, deliveries, created_at) VALUES
                            ('lane-a', '1-0', 'first', 5, '2026-11-01T08:00:00.001Z'),
                            ('lane-a', '2-0', 'second', 5, '2026-11-01T08:00:00.001Z'),
                            ('lane-b', '3-0', 'third', 5, '2026-11-01T07:00:00Z');
                        """.formatted(OLD_BATCH, NEW_BATCH, TASK));
            }

            try (PostgresStorage storage = PostgresStorage.open(database.jdbcUrl(), null, null, 1)) {
                storage.migrate();

                assertThat(storage.tasks().findById(TASK).orElseThrow().idempotencyKey()).isEqualTo("k");
                assertThat(storage.batches().find("t", OLD_BATCH).orElseThrow().tasks()).extracting(Task::id)
                        .containsExactly(TASK);
                assertThat(StorageTestBase.enqueuedAt(storage, TASK)).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
                assertThat(storage.tasks().insert(keyedSubmission("t", "k", Instant.parse("2026-11-01T10:00:00Z"))))
                        .contains(NEW_BATCH);

                List<DeadLetter> letters = storage.deadLetters().list(null, 10, null).items();
                assertThat(letters).extracting(DeadLetter::reason).containsExactly("second", "first", "third");
                assertThat(letters).allSatisfy(l -> assertThat(l.id().version()).isEqualTo(7));
                assertThat(letters.getFirst().createdAt()).isEqualTo(Instant.parse("2026-11-01T08:00:00.001Z"));
                assertThat(storage.deadLetters().find(letters.getFirst().id())).contains(letters.getFirst());
            }
        } finally {
            database.drop();
        }
    }

    private static Submission keyedSubmission(String tenant, String key, Instant at) {
        UUID batchId = UUID.randomUUID();
        Task task = Task.newQueued(UUID.randomUUID(), tenant, batchId, null, "work", null, "lane-a", Priority.NORMAL,
                null, null, null, key, null, at);
        return new Submission(tenant, batchId, null, false, null, null, null, List.of(task), at, key);
    }
}
