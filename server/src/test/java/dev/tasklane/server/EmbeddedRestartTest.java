package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** With nothing configured the server runs embedded PostgreSQL and Redis under TASKLANE_HOME, and keeps its tasks. */
class EmbeddedRestartTest {

    @Test
    void aTaskQueuedBeforeARestartRunsAfterIt(@TempDir Path home) {
        String taskId;
        ConfigurableApplicationContext gateway = TasklaneMain.start(settings(home, "gateway"));
        try {
            Http http = http(gateway);
            JsonNode accepted = http.post("/v1/tasks",
                    "{\"type\": \"noop\", \"lane\": \"default\", \"input\": {\"kept\": true}}").json();
            taskId = accepted.path("task_id").asString();
            assertThat(http.get("/v1/tasks/" + taskId).json().path("status").asString()).isEqualTo("queued");
        } finally {
            gateway.close();
        }
        assertThat(Files.isDirectory(home.resolve("postgres"))).isTrue();
        assertThat(Files.isDirectory(home.resolve("redis"))).isTrue();
        assertThat(Files.exists(home.resolve("ports.properties"))).isTrue();

        ConfigurableApplicationContext server = TasklaneMain.start(settings(home, "server"));
        try {
            Http http = http(server);
            JsonNode task = awaitEnded(http, taskId);
            assertThat(task.path("status").asString()).isEqualTo("succeeded");
            assertThat(task.path("output").path("kept").asBoolean()).isTrue();
        } finally {
            server.close();
        }
    }

    private static ServerSettings settings(Path home, String role) {
        return ServerSettings.from(LaunchOptions.parse(role, "--port", "0"), Map.of("TASKLANE_HOME", home.toString()));
    }

    private static Http http(ConfigurableApplicationContext context) {
        return new Http("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    private static JsonNode awaitEnded(Http http, String taskId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode task = null;
        while (Instant.now().isBefore(deadline)) {
            task = http.get("/v1/tasks/" + taskId).json();
            if (task.path("status_code").asInt() != 0) {
                return task;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("task never ended: " + task);
    }
}
