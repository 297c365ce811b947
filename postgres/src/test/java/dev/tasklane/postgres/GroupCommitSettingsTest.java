package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.postgres.GroupCommit.Flush;
import dev.tasklane.postgres.GroupCommit.Plans;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-transaction settings of a group: how it flushes and how its statements may plan. */
class GroupCommitSettingsTest extends StorageTestBase {

    @Test
    void anAsyncGroupCommitsWithoutWaitingForTheDiskAndLeavesItsConnectionsAsTheyWere() {
        Database db = new Database(storage.dataSource());
        try (GroupCommit<Integer, String> async = group(db, Flush.ASYNC, Plans.CACHED, "SHOW synchronous_commit");
             GroupCommit<Integer, String> flushed = group(db, Flush.WAIT, Plans.CACHED, "SHOW synchronous_commit")) {
            assertThat(async.submit(1)).isEqualTo("off");
            assertThat(flushed.submit(1)).isEqualTo("on");
            assertPoolIsBackTo(db, "SHOW synchronous_commit", "on");
        }
    }

    /**
     * A new deployment's tasks table is nearly empty when its statements are first prepared,
     * and then grows under load before autovacuum refreshes its statistics.
     */
    @Test
    void aFreshGroupPlansForTheTableAsItIsNotAsItWasWhenPrepared() {
        truncate("tasks");
        storage.tasks().insert(data.standalone("noop", "m"));
        Database db = new Database(storage.dataSource());
        try (GroupCommit<Integer, String> fresh = group(db, Flush.WAIT, Plans.FRESH, GroupCommitSettingsTest::explainClaim);
             GroupCommit<Integer, String> cached = group(db, Flush.WAIT, Plans.CACHED, GroupCommitSettingsTest::explainClaim)) {
            // PostgreSQL keeps a generic plan from the sixth execution on; run it on every pooled connection
            for (int i = 0; i < 40; i++) {
                cached.submit(i);
                fresh.submit(i);
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

            assertThat(cached.submit(0)).as("the kept plan still walks every queued task")
                    .doesNotContain("Index Scan using tasks_pkey");
            assertThat(fresh.submit(0)).contains("Index Scan using tasks_pkey");
            assertPoolIsBackTo(db, "SHOW plan_cache_mode", "auto");
        }
    }

    /** The shape of the claim: tasks by id from an array, if still queued; prepared once per connection. */
    private static String explainClaim(Connection c) throws SQLException {
        if (text(c, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'claim_shape'").equals("0")) {
            try (Statement s = c.createStatement()) {
                s.execute("""
                        PREPARE claim_shape (uuid[]) AS UPDATE tasks t SET updated_at = now()
                        FROM unnest($1) AS c (id) WHERE t.id = c.id AND t.status = 'queued'""");
            }
        }
        return text(c, "EXPLAIN EXECUTE claim_shape('{00000000-0000-0000-0000-000000000001}')");
    }

    @FunctionalInterface
    private interface Probe {
        String read(Connection c) throws SQLException;
    }

    private static GroupCommit<Integer, String> group(Database db, Flush flush, Plans plans, String query) {
        return group(db, flush, plans, c -> text(c, query));
    }

    private static GroupCommit<Integer, String> group(Database db, Flush flush, Plans plans, Probe probe) {
        return new GroupCommit<>(db, "settings-test", 1, 10, flush, plans, (c, items) -> {
            String answer = probe.read(c);
            List<String> answers = new ArrayList<>();
            items.forEach(item -> answers.add(answer));
            return answers;
        });
    }

    /** SET LOCAL ends with its transaction: every pooled connection is back to the server's default. */
    private static void assertPoolIsBackTo(Database db, String show, String expected) {
        for (int i = 0; i < 8; i++) {
            String value = db.<String>withConnection(c -> text(c, show));
            assertThat(value).isEqualTo(expected);
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
