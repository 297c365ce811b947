package dev.tasklane.server.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Reads a run's outcome from its database: counts, and when each task started and ended. */
final class RunProbe implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);

    /** When one task started its (last) attempt and when it ended. */
    record Times(Instant started, Instant finished) {}

    private final Connection connection;

    RunProbe(String jdbcUrl, String user, String password) throws SQLException {
        Properties credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.connection = DriverManager.getConnection(jdbcUrl, credentials);
    }

    long count(String status) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM tasks WHERE status = ?")) {
            s.setString(1, status);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /**
     * Waits until no task is left to run, then checks that {@code n} succeeded and none failed.
     * Call it once every task of the run is committed. It polls with a query the partial
     * indexes of live tasks answer at once: counting a whole table every few milliseconds
     * would take PostgreSQL's CPU from the run it measures.
     *
     * @return when the poll that found no task left began: every result was committed by
     *         then, and the poll before it, a {@code POLL} and a query earlier, still found one
     */
    Instant awaitSucceeded(long n, Duration within) throws SQLException, InterruptedException {
        Instant polled = Instant.now();
        Instant deadline = polled.plus(within);
        while (anyLive()) {
            if (polled.isAfter(deadline)) {
                throw new IllegalStateException("only " + count("succeeded") + " of " + n + " tasks succeeded within "
                        + within);
            }
            Thread.sleep(POLL);
            polled = Instant.now();
        }
        long failed = count("failed");
        if (failed > 0) {
            throw new IllegalStateException(failed + " task(s) failed during the benchmark");
        }
        long succeeded = count("succeeded");
        if (succeeded < n) {
            throw new IllegalStateException("only " + succeeded + " of " + n + " tasks succeeded");
        }
        return polled;
    }

    private boolean anyLive() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT EXISTS (SELECT 1 FROM tasks WHERE status = 'queued')
                    OR EXISTS (SELECT 1 FROM tasks WHERE status = 'running')
                    OR EXISTS (SELECT 1 FROM tasks WHERE status = 'scheduled')""");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        }
    }

    Map<String, Times> times() throws SQLException {
        Map<String, Times> byId = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT id, started_at, finished_at FROM tasks")) {
            while (r.next()) {
                byId.put(r.getString(1), new Times(r.getTimestamp(2).toInstant(), r.getTimestamp(3).toInstant()));
            }
        }
        return byId;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
