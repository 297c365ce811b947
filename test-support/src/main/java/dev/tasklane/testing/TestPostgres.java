package dev.tasklane.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Hands each test class a database of its own. The server is the one named by
 * {@code TASKLANE_TEST_DATABASE_URL} (a JDBC URL with credentials as parameters,
 * e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}) when set,
 * else an embedded PostgreSQL shared by the whole test JVM.
 */
public final class TestPostgres {
    private static final String ENV = "TASKLANE_TEST_DATABASE_URL";
    private static String adminUrl;

    private TestPostgres() {}

    /** Creates a new, empty database whose name starts with {@code tl_test_} and the hint. */
    public static TestDatabase newDatabase(String hint) {
        String admin = adminUrl();
        String name = ("tl_test_" + hint + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + admin, e);
        }
        return new TestDatabase(name, withDatabase(admin, name), admin);
    }

    /** The JDBC URL of the server's maintenance database, starting the embedded server if needed. */
    public static synchronized String adminUrl() {
        if (adminUrl == null) {
            String configured = System.getenv(ENV);
            adminUrl = configured != null && !configured.isBlank() ? configured.trim() : startEmbedded();
        }
        return adminUrl;
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the temp data folder is removed by zonky
                }
            }));
            return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres?user=postgres";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL for tests", e);
        }
    }

    /** Replaces the database name in a JDBC URL, keeping host, port and parameters. */
    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        String params = query >= 0 ? url.substring(query) : "";
        return url.substring(0, slash + 1) + database + params;
    }

    /** One test database; {@link #drop()} removes it and only it. */
    public record TestDatabase(String name, String jdbcUrl, String adminUrl) {
        public void drop() {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test database " + name, e);
            }
        }
    }
}
