package dev.tasklane.server.bench;

import dev.tasklane.server.ServerSettings;
import dev.tasklane.server.infra.EmbeddedServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The PostgreSQL and Redis a benchmark runs on: the configured ones, else embedded
 * ones under TASKLANE_HOME/bench. Every run gets a database of its own (created
 * here, dropped afterwards) and a Redis key prefix of its own.
 */
final class BenchStores implements AutoCloseable {
    private final ServerSettings settings;
    private final EmbeddedServices embedded;
    private final String adminUrl;
    private final String redisUrl;
    private int runs;

    BenchStores(ServerSettings settings) {
        this.settings = settings;
        boolean anyEmbedded = settings.embeddedDatabase() || settings.embeddedRedis();
        this.embedded = anyEmbedded ? new EmbeddedServices(settings.home().resolve("bench"), false) : null;
        this.adminUrl = settings.embeddedDatabase() ? embedded.startPostgres() : settings.databaseUrl();
        this.redisUrl = settings.embeddedRedis() ? embedded.startRedis() : settings.redisUrl();
    }

    String redisUrl() {
        return redisUrl;
    }

    String databaseUser() {
        return settings.embeddedDatabase() ? null : settings.databaseUser();
    }

    String databasePassword() {
        return settings.embeddedDatabase() ? null : settings.databasePassword();
    }

    /** A new, empty database for one run; {@link Run#close()} drops it. */
    Run newRun(String caseName) {
        runs++;
        String name = "tlbench_" + ManagementFactory.getRuntimeMXBean().getPid() + "_" + runs;
        execute("CREATE DATABASE " + name);
        return new Run(name, withDatabase(adminUrl, name), "tlbench-" + caseName + "-"
                + ManagementFactory.getRuntimeMXBean().getPid() + "-" + runs);
    }

    /** One run's database and Redis key prefix. */
    final class Run implements AutoCloseable {
        final String database;
        final String jdbcUrl;
        final String redisPrefix;

        private Run(String database, String jdbcUrl, String redisPrefix) {
            this.database = database;
            this.jdbcUrl = jdbcUrl;
            this.redisPrefix = redisPrefix;
        }

        @Override
        public void close() {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            deleteKeysUnder(redisPrefix);
        }
    }

    /** Removes the run's Redis keys (its streams and their groups), and only those. */
    private void deleteKeysUnder(String prefix) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.sync().scan(cursor, ScanArgs.Builder.matches(prefix + ":*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    redis.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private void execute(String sql) {
        Properties credentials = new Properties();
        if (databaseUser() != null) {
            credentials.setProperty("user", databaseUser());
        }
        if (databasePassword() != null) {
            credentials.setProperty("password", databasePassword());
        }
        try (Connection c = DriverManager.getConnection(adminUrl, credentials); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("benchmark database step failed: " + sql + " (the user needs CREATEDB)", e);
        }
    }

    /** Replaces the database name of a JDBC URL, keeping host, port and parameters. */
    static String withDatabase(String url, String database) {
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        int query = url.indexOf('?');
        return url.substring(0, slash + 1) + database + (query >= 0 ? url.substring(query) : "");
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
