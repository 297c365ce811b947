package dev.tasklane.server;

import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestPostgres.TestDatabase;
import dev.tasklane.testing.TestRedis;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A Tasklane process started in the test JVM on a database and Redis key prefix
 * of its own, with a lanes file the test writes. close() removes what it made.
 */
final class RunningServer implements AutoCloseable {
    final TestDatabase database;
    final String redisPrefix;
    final Path configFile;
    private final ConfigurableApplicationContext context;
    final Http http;

    private RunningServer(TestDatabase database, String redisPrefix, Path configFile,
                          ConfigurableApplicationContext context) {
        this.database = database;
        this.redisPrefix = redisPrefix;
        this.configFile = configFile;
        this.context = context;
        this.http = new Http("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    /** Starts a server (gateway and workers) whose lanes are {@code lanesYaml}. */
    static RunningServer start(String hint, String lanesYaml, String... args) {
        TestDatabase database = TestPostgres.newDatabase(hint);
        String prefix = TestRedis.newPrefix(hint);
        Path config = writeConfig(lanesYaml);
        return new RunningServer(database, prefix, config,
                TasklaneMain.start(settings(database.jdbcUrl(), prefix, config, args)));
    }

    static ServerSettings settings(String databaseUrl, String prefix, Path config, String... args) {
        String[] withPort = new String[args.length + 2];
        System.arraycopy(args, 0, withPort, 0, args.length);
        withPort[args.length] = "--port";
        withPort[args.length + 1] = "0";
        Map<String, String> env = new HashMap<>();
        env.put("TASKLANE_DATABASE_URL", databaseUrl);
        env.put("TASKLANE_REDIS_URL", TestRedis.url());
        env.put("TASKLANE_REDIS_PREFIX", prefix);
        env.put("TASKLANE_CONFIG", config.toString());
        env.put("TASKLANE_MAX_BODY_BYTES", "65536");
        env.put("TASKLANE_MAX_PROMPT_BYTES", "16384");
        env.put("TASKLANE_SHUTDOWN_GRACE_SECONDS", "5");
        return ServerSettings.from(LaunchOptions.parse(withPort), env);
    }

    static Path writeConfig(String yaml) {
        try {
            Path file = Files.createTempFile("tasklane-lanes", ".yaml");
            Files.writeString(file, yaml);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String sql) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(database.jdbcUrl());
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Polls GET path until the answer's JSON satisfies {@code done}; fails after {@code within}. */
    JsonNode await(String path, Predicate<JsonNode> done, Duration within) {
        Instant deadline = Instant.now().plus(within);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            Http.Reply reply = http.get(path);
            if (reply.status() == 200) {
                last = reply.json();
                if (done.test(last)) {
                    return last;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting on " + path + "; last answer: " + last);
    }

    JsonNode awaitTaskEnded(String taskId) {
        return await("/v1/tasks/" + taskId, t -> t.path("status_code").asInt() != 0, Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        context.close();
        deleteKeys(redisPrefix);
        database.drop();
    }

    static void deleteKeys(String prefix) {
        RedisClient client = RedisClient.create(TestRedis.url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    c.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
