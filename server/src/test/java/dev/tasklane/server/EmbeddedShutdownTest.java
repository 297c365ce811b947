package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.server.infra.EmbeddedServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on embedded PostgreSQL and Redis, stopped with SIGTERM while a task runs: its
 * workers drain, and the task's result is written and its stream entry acknowledged
 * before either stops. The libraries they come from would stop them from JVM exit hooks
 * of their own, which run beside Spring's shutdown, so the draining workers found them
 * gone. The lane has one slot, so the first task starts locally and the second comes
 * through the stream.
 */
class EmbeddedShutdownTest {
    private static final List<String> SERVICES_CONFIGURED_BY = List.of("TASKLANE_DATABASE_URL", "DB_HOST",
            "TASKLANE_REDIS_URL", "REDIS_HOST");
    private static final String SLEEP = "{\"type\": \"sleep\", \"lane\": \"one\", \"input\": {\"ms\": 1500}}";

    @Test
    void aTaskRunningAtSigtermIsStoredAndAcknowledgedBeforeTheEmbeddedServicesStop(@TempDir Path home)
            throws Exception {
        int port = freePort();
        File log = home.resolve("server.log").toFile();
        Path lanes = Files.writeString(home.resolve("lanes.yaml"), """
                lanes:
                  one:
                    models: ["*"]
                    concurrency: 1
                """);
        Process server = start(home, port, lanes, log);
        String taskId;
        try {
            ChildJvm.awaitLog(server, log, "Started TasklaneMain");
            Http http = new Http("http://127.0.0.1:" + port);
            http.post("/v1/tasks", SLEEP);
            taskId = http.post("/v1/tasks", SLEEP).json().path("task_id").asString();
            EngineFixture.await(() -> http.get("/v1/tasks/" + taskId).json().path("status").asString()
                    .equals("running"), Duration.ofSeconds(10), () -> "task " + taskId + " never started");

            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits after SIGTERM").isTrue();
        } finally {
            server.destroyForcibly().waitFor();
        }

        try (EmbeddedServices services = new EmbeddedServices(home, false);
             Connection c = DriverManager.getConnection(services.startPostgres());
             PreparedStatement ps = c.prepareStatement("SELECT status FROM tasks WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(taskId));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the task's status; server log: " + log).isEqualTo("succeeded");
            }
            RedisClient client = RedisClient.create(services.startRedis());
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                assertThat(redis.sync().xpending("tl:{one}:normal", "tasklane").getCount())
                        .as("entries delivered and not acknowledged; server log: " + log).isZero();
            } finally {
                client.shutdown();
            }
        }
    }

    private static Process start(Path home, int port, Path lanes, File log) throws IOException {
        ProcessBuilder builder = ChildJvm.tasklane("server", "--port", String.valueOf(port));
        Map<String, String> env = builder.environment();
        SERVICES_CONFIGURED_BY.forEach(env::remove);
        env.put("TASKLANE_HOME", home.toString());
        env.put("TASKLANE_CONFIG", lanes.toString());
        return builder.redirectErrorStream(true).redirectOutput(log).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
