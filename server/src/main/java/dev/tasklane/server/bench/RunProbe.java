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

    /** Waits until {@code n} tasks succeeded; throws when any failed or the time is up. */
    void awaitSucceeded(long n, Duration within) throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (count("succeeded") < n) {
            if (count("failed") > 0) {
                throw new IllegalStateException(count("failed") + " task(s) failed during the benchmark");
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + count("succeeded") + " of " + n + " tasks succeeded within "
                        + within);
            }
            Thread.sleep(POLL);
        }
    }

    Instant lastFinished() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT max(finished_at) FROM tasks")) {
            r.next();
            return r.getTimestamp(1).toInstant();
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
