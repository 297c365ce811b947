package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tasklane.postgres.GroupCommit.Transaction;
import dev.tasklane.postgres.GroupConnections.Flush;
import dev.tasklane.postgres.GroupConnections.Plans;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A group's settings: how it flushes and how its statements may plan, held by connections
 * of its own; and how its batches commit.
 */
class GroupCommitSettingsTest extends StorageTestBase {
    private GroupConnections connections;

    @BeforeEach
    void openGroupConnections() {
        connections = new GroupConnections(database.jdbcUrl(), null, null);
    }

    @AfterEach
    void closeGroupConnections() {
        connections.close();
    }

    @Test
    void anAsyncGroupCommitsWithoutWaitingForTheDiskAndTheSharedPoolKeepsTheDefault() {
        try (GroupCommit<Integer, String> async = group(Flush.ASYNC, Plans.CACHED, "SHOW synchronous_commit");
             GroupCommit<Integer, String> flushed = group(Flush.WAIT, Plans.CACHED, "SHOW synchronous_commit")) {
            assertThat(async.submit(1)).isEqualTo("off");
            assertThat(flushed.submit(1)).isEqualTo("on");
            assertSharedPoolShows("SHOW synchronous_commit", "on");
        }
    }

    @Test
    void aGroupKeepsItsSteadyConnectionsOpenAndOpensABurstsOnlyWhileNeeded() {
        Database db = connections.open("burst-test", 1, 2, Flush.WAIT, Plans.CACHED);
        HikariDataSource pool = (HikariDataSource) db.dataSource();
        assertThat(pool.getMinimumIdle()).as("kept open").isEqualTo(1);
        assertThat(pool.getMaximumPoolSize()).as("at most, during a burst").isEqualTo(2);
        assertThat(pool.getIdleTimeout()).as("a burst's connection closes after").isEqualTo(30_000);
        String count = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'tasklane-burst-test'";
        assertThat(db.<Long>withConnection(c -> db.<Long>withConnection(second -> number(count)))).isEqualTo(2);
    }

    @Test
    void anAutoCommitGroupWritesInAutoCommitAndTheOtherInOneTransaction() {
        Database db = connections.open("tx-test", 1, 1, Flush.WAIT, Plans.CACHED);
        try (GroupCommit<Integer, Boolean> single = new GroupCommit<>(db, "single", 1, 10,
                     Transaction.AUTO_COMMIT, (c, items) -> items.stream().map(i -> autoCommit(c)).toList());
             GroupCommit<Integer, Boolean> several = new GroupCommit<>(db, "several", 1, 10,
                     Transaction.ONE_TRANSACTION, (c, items) -> items.stream().map(i -> autoCommit(c)).toList())) {
            assertThat(single.submit(1)).as("auto-commit").isTrue();
            assertThat(several.submit(1)).as("auto-commit").isFalse();
        }
    }

    /**
     * A new deployment's tasks table is nearly empty when its statements are first prepared,
     * and then grows under load before autovacuum refreshes its statistics. The plan a
     * by-key group made then still reads by key; one PostgreSQL chose freely walks every
     * queued task.
     */
    @Test
    void aByKeyGroupKeepsReadingByKeyAsTheTableGrows() {
        truncate("tasks");
        storage.tasks().insert(data.standalone("noop", "m"));
        Database db = new Database(storage.dataSource());
        try (GroupCommit<Integer, String> byKey = group(Flush.WAIT, Plans.BY_KEY,
                     c -> explainPrepared(c, CLAIM_ARGUMENTS, TaskWriteGroups.CLAIM));
             GroupCommit<Integer, String> cached = group(Flush.WAIT, Plans.CACHED, c -> explainPrepared(c, "uuid[]", """
                     UPDATE tasks t SET updated_at = now()
                     FROM unnest($1) AS c (id) WHERE t.id = c.id AND t.status = 'queued'"""))) {
            // PostgreSQL keeps a generic plan from the sixth execution on
            for (int i = 0; i < 10; i++) {
                cached.submit(i);
                byKey.submit(i);
            }
            db.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("""
                            INSERT INTO tasks (id, tenant_id, batch_id, type, lane, status, priority, created_at,
                                updated_at, enqueued_at)
                            SELECT gen_random_uuid(), 'grown', gen_random_uuid(), 'noop', 'default', 'queued', 'normal',
                                now(), now(), now()
                            FROM generate_series(1, 20000)""");
                }
            });

            assertThat(cached.submit(0)).as("the kept plan walks every queued task")
                    .doesNotContain("Index Scan using tasks_pkey");
            assertThat(byKey.submit(0)).contains("Index Scan using tasks_pkey").doesNotContain("Seq Scan");
            assertSharedPoolShows("SHOW plan_cache_mode", "auto");
        }
    }

    /**
     * A queue's statistics lag its swings: analyzed while no task was queued, the table then
     * holds thousands of queued tasks. The claim still reads its tasks by id, instead of
     * every queued task through that status's partial index.
     */
    @Test
    void aClaimReadsItsTasksByIdWhateverTheStatisticsSayIsQueued() {
        truncate("tasks");
        Database db = new Database(storage.dataSource());
        db.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("""
                        INSERT INTO tasks (id, tenant_id, batch_id, type, lane, status, priority, created_at,
                            updated_at, enqueued_at)
                        SELECT gen_random_uuid(), 'stale', gen_random_uuid(), 'noop', 'default', 'succeeded',
                            'normal', now(), now(), now()
                        FROM generate_series(1, 20000)""");
                s.execute("ANALYZE tasks");
                return s.executeUpdate("UPDATE tasks SET status = 'queued' WHERE id IN (SELECT id FROM tasks LIMIT 10000)");
            }
        });
        try (GroupCommit<Integer, String> claims = group(Flush.WAIT, Plans.BY_KEY, GroupCommitSettingsTest::explainRealClaim)) {
            assertThat(claims.submit(0)).contains("Index Scan using tasks_pkey").doesNotContain("tasks_queued_by_enqueued");
        }
    }

    /** The plan of {@link TaskWriteGroups#CLAIM} for one queued task, as it would claim it. */
    private static String explainRealClaim(Connection c) throws SQLException {
        String id = text(c, "SELECT id FROM tasks WHERE status = 'queued' LIMIT 1");
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + TaskWriteGroups.CLAIM)) {
            ps.setArray(1, c.createArrayOf("uuid", new Object[] {UUID.fromString(id)}));
            ps.setArray(2, c.createArrayOf("timestamptz", new Object[] {new Timestamp(0)}));
            ps.setArray(3, c.createArrayOf("text", new Object[] {"w"}));
            ps.setArray(4, c.createArrayOf("timestamptz", new Object[] {new Timestamp(0)}));
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    private static final String CLAIM_ARGUMENTS = "uuid[], timestamptz[], text[], timestamptz[]";

    /**
     * The plan kept for the statement, prepared once per connection with its JDBC placeholders
     * numbered, and run for one task that does not exist.
     */
    private static String explainPrepared(Connection c, String argumentTypes, String sql) throws SQLException {
        if (text(c, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'probe'").equals("0")) {
            StringBuilder numbered = new StringBuilder();
            int n = 0;
            for (char ch : sql.toCharArray()) {
                numbered.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
            }
            try (Statement s = c.createStatement()) {
                s.execute("PREPARE probe (" + argumentTypes + ") AS " + numbered);
            }
        }
        String arguments = argumentTypes.equals("uuid[]") ? "'{00000000-0000-0000-0000-000000000001}'"
                : "'{00000000-0000-0000-0000-000000000001}', '{2026-01-01T00:00:00Z}', '{w}', '{2026-01-01T00:00:00Z}'";
        return text(c, "EXPLAIN EXECUTE probe(" + arguments + ")");
    }

    @FunctionalInterface
    private interface Probe {
        String read(Connection c) throws SQLException;
    }

    private GroupCommit<Integer, String> group(Flush flush, Plans plans, String query) {
        return group(flush, plans, c -> text(c, query));
    }

    /** A group on a connection of its own with these settings, answering every item with what the probe read. */
    private GroupCommit<Integer, String> group(Flush flush, Plans plans, Probe probe) {
        Database db = connections.open("settings-test", 1, 1, flush, plans);
        return new GroupCommit<>(db, "settings-test", 1, 10, Transaction.ONE_TRANSACTION, (c, items) -> {
            String answer = probe.read(c);
            List<String> answers = new ArrayList<>();
            items.forEach(item -> answers.add(answer));
            return answers;
        });
    }

    /** The groups' settings are their own connections': every connection of the shared pool keeps the default. */
    private void assertSharedPoolShows(String show, String expected) {
        Database shared = new Database(storage.dataSource());
        for (int i = 0; i < 8; i++) {
            String value = shared.<String>withConnection(c -> text(c, show));
            assertThat(value).isEqualTo(expected);
        }
    }

    private static boolean autoCommit(Connection c) {
        try {
            return c.getAutoCommit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Connection c, String query) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                all.append(rs.getString(1)).append('\n');
            }
        }
        return all.toString().strip();
    }
}
