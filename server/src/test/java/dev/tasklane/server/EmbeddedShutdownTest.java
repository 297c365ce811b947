package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.server.infra.EmbeddedServices;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A server on embedded PostgreSQL, stopped with SIGTERM while a task runs: its workers
 * drain, and the task's result is written before the database stops. The library the
 * database comes from would stop it from a JVM exit hook of its own, which runs beside
 * Spring's shutdown, so the draining workers found it gone.
 */
class EmbeddedShutdownTest {
    private static final List<String> SERVICES_CONFIGURED_BY = List.of("TASKLANE_DATABASE_URL", "DB_HOST",
            "TASKLANE_REDIS_URL", "REDIS_HOST", "TASKLANE_CONFIG");

    @Test
    void aTaskRunningAtSigtermIsStoredSucceededBeforeTheEmbeddedDatabaseStops(@TempDir Path home) throws Exception {
        int port = freePort();
        File log = home.resolve("server.log").toFile();
        Process server = start(home, port, log);
        String taskId;
        try {
            awaitLog(server, log, "Started TasklaneMain");
            Http http = new Http("http://127.0.0.1:" + port);
            taskId = http.post("/v1/tasks", "{\"type\": \"sleep\", \"lane\": \"default\", \"input\": {\"ms\": 1500}}")
                    .json().path("task_id").asString();
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
        }
    }

    private static Process start(Path home, int port, File log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), TasklaneMain.class.getName(), "server", "--port",
                String.valueOf(port));
        Map<String, String> env = builder.environment();
        SERVICES_CONFIGURED_BY.forEach(env::remove);
        env.put("TASKLANE_HOME", home.toString());
        return builder.redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void awaitLog(Process server, File log, String text) {
        EngineFixture.await(() -> {
            if (!server.isAlive()) {
                throw new AssertionError("server exited early; see " + log);
            }
            try {
                return log.exists() && Files.readString(log.toPath()).contains(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Duration.ofSeconds(90), () -> log + " never said: " + text);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
