package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.postgres.PostgresStorage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Idempotency keys, dead letters and the system log over HTTP. */
class OperationsApiTest {
    static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start("operations", """
                lanes:
                  ops:
                    models: ["*"]
                """);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theSameIdempotencyKeyGetsTheFirstTaskBack() {
        String body = "{\"type\": \"noop\", \"lane\": \"ops\", \"input\": {\"n\": 1}}";
        Http.Reply first = server.http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/tasks"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "order-17")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(first.status()).isEqualTo(202);
        Http.Reply second = server.http.post("/v1/tasks",
                "{\"type\": \"noop\", \"lane\": \"ops\", \"input\": {\"n\": 2}, \"idempotency_key\": \"order-17\"}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("task_id").asString()).isEqualTo(first.json().path("task_id").asString());
        assertThat(server.count("SELECT count(*) FROM tasks WHERE idempotency_key = 'order-17'")).isEqualTo(1);

        String chat = "{\"prompt\": \"hi\", \"model\": \"a, b\", \"idempotency_key\": \"chat-1\"}";
        JsonNode chatFirst = server.http.post("/v1/chat/completions", chat).json();
        Http.Reply chatAgain = server.http.post("/v1/chat/completions", chat);
        assertThat(chatAgain.status()).isEqualTo(200);
        assertThat(chatAgain.json().path("batch_id").asString()).isEqualTo(chatFirst.path("batch_id").asString());
        assertThat(chatAgain.json().path("task_ids")).isEqualTo(chatFirst.path("task_ids"));
        assertThat(server.http.get("/v1/tasks?batch_id=" + chatFirst.path("batch_id").asString()).json()
                .path("data")).hasSize(2);

        Http.Reply clash = server.http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/tasks"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "one")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"type\": \"noop\", \"lane\": \"ops\", \"idempotency_key\": \"two\"}")));
        assertThat(clash.status()).isEqualTo(400);
        assertThat(clash.json().path("errors").get(0).path("field").asString()).isEqualTo("idempotency_key");
    }

    @Test
    void deadLettersCanBeListedReplayedAndDeleted() {
        JsonNode task = server.http.post("/v1/tasks", "{\"type\": \"noop\", \"lane\": \"ops\"}").json();
        server.awaitTaskEnded(task.path("task_id").asString());
        RedisClient client = RedisClient.create(dev.tasklane.testing.TestRedis.url());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            redis.sync().xadd(server.redisPrefix + ":{ops}:normal", Map.of("junk", "1"));
            redis.sync().xadd(server.redisPrefix + ":{ops}:normal", Map.of("id", task.path("task_id").asString()));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        JsonNode letters = server.await("/v1/dead-letters?lane=ops", p -> p.path("data").size() >= 1,
                Duration.ofSeconds(10));
        JsonNode junk = letters.path("data").get(0);
        assertThat(junk.path("reason").asString()).isEqualTo("the entry names no task id");
        assertThat(junk.path("payload").asString()).contains("junk=1");
        assertThat(junk.path("deliveries").asInt()).isEqualTo(1);
        String id = junk.path("id").asString();

        Http.Reply replay = server.http.post("/v1/dead-letters/" + id + "/replay", "");
        assertThat(replay.status()).isEqualTo(409);
        assertThat(server.http.delete("/v1/dead-letters/" + id).status()).isEqualTo(204);
        assertThat(server.http.delete("/v1/dead-letters/" + id).status()).isEqualTo(404);
        assertThat(server.http.post("/v1/dead-letters/" + id + "/replay", "").status()).isEqualTo(404);
        assertThat(server.http.get("/v1/dead-letters?cursor=%25%25").status()).isEqualTo(400);
    }

    @Test
    void theSystemLogShowsStoredErrorsWithTheirTraces() {
        try (PostgresStorage storage = PostgresStorage.open(server.database.jdbcUrl(), null, null, 1)) {
            storage.systemLog().record(SystemLogEntry.of(Instant.now(), "ERROR", "worker", "w-1", "something broke",
                    new IllegalStateException("boom")));
        }
        JsonNode logs = server.http.get("/v1/admin/system-logs?limit=10").json();
        JsonNode entry = logs.path("data").get(0);
        assertThat(entry.path("message").asString()).contains("something broke").contains("boom");
        assertThat(entry.path("stack_trace").asString()).contains("IllegalStateException")
                .contains("OperationsApiTest");
        assertThat(entry.path("source").asString()).isEqualTo("worker");
    }

    private static String base() {
        return "http://127.0.0.1:" + server.port();
    }
}
