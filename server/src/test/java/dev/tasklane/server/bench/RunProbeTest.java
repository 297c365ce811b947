package dev.tasklane.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An HTTP case is timed to the commit of its last result, which the probe's end is no earlier than. */
class RunProbeTest {

    @Test
    void theWaitEndsNoEarlierThanTheCommitOfTheLastResult() throws Exception {
        TestDatabase db = TestPostgres.newDatabase("run_probe");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl()); Statement s = c.createStatement();
             RunProbe probe = new RunProbe(db.jdbcUrl(), null, null)) {
            s.execute("CREATE TABLE tasks (id int, status text, started_at timestamptz, finished_at timestamptz)");
            // the call returned a second ago; its result is committed only below
            s.execute("INSERT INTO tasks VALUES (1, 'running', now() - interval '2 s', now() - interval '1 s')");
            FutureTask<Instant> ended = new FutureTask<>(() -> probe.awaitSucceeded(1, Duration.ofMinutes(1)));
            Thread.ofVirtual().start(ended);
            awaitFirstPoll(c, db.name());

            Instant committing = Instant.now();
            s.execute("UPDATE tasks SET status = 'succeeded'");

            assertThat(ended.get(1, TimeUnit.MINUTES)).isAfterOrEqualTo(committing);
        } finally {
            db.drop();
        }
    }

    /** Until the probe's connection has asked whether any task is left. */
    private static void awaitFirstPoll(Connection c, String database) throws Exception {
        Callable<Boolean> polled = () -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = ? AND pid <> pg_backend_pid() AND query LIKE '%status = ''scheduled''%'""")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        };
        Instant deadline = Instant.now().plusSeconds(30);
        while (!polled.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new SQLException("the probe never polled");
            }
            Thread.onSpinWait();
        }
    }
}
