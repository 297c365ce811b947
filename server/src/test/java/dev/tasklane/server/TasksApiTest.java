package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.testing.FakeOpenAiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /v1/tasks, GET /v1/tasks with filters and cursor, health and docs. */
class TasksApiTest {
    static FakeOpenAiServer model;
    static RunningServer server;

    @BeforeAll
    static void start() {
        model = FakeOpenAiServer.start();
        server = RunningServer.start("tasksapi", """
                lanes:
                  ops:
                    models: ["ops-*"]
                    concurrency: 8
                  llm:
                    models: ["*"]
                    nodes: [{url: "%s"}]
                """.formatted(model.baseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    @Test
    void noopAnswersItsInput() {
        Http.Reply reply = server.http.post("/v1/tasks",
                "{\"type\": \"noop\", \"lane\": \"ops\", \"input\": {\"x\": 1}, \"metadata\": {\"who\": \"test\"},"
                        + " \"max_attempts\": 2, \"priority\": \"high\"}");
        assertThat(reply.status()).isEqualTo(202);
        JsonNode accepted = reply.json();
        // running when this process's idle worker took it in the insert (a local start)
        assertThat(accepted.path("status").asString()).isIn("queued", "running");
        assertThat(accepted.path("priority").asString()).isEqualTo("high");
        assertThat(accepted.path("max_attempts").asInt()).isEqualTo(2);
        JsonNode done = server.awaitTaskEnded(accepted.path("task_id").asString());
        assertThat(done.path("status").asString()).isEqualTo("succeeded");
        assertThat(done.path("output").path("x").asInt()).isEqualTo(1);
        assertThat(done.path("metadata").path("who").asString()).isEqualTo("test");
        assertThat(done.path("lane").asString()).isEqualTo("ops");
    }

    @Test
    void aTaskSubmittedAloneIsABatchOfOneUnderItsOwnId() {
        JsonNode accepted = server.http.post("/v1/tasks", "{\"type\": \"noop\", \"lane\": \"ops\", \"input\": {}}")
                .json();
        String id = accepted.path("task_id").asString();
        assertThat(accepted.path("batch_id").asString()).isEqualTo(id);
        server.awaitTaskEnded(id);

        JsonNode batch = server.http.get("/v1/batches/" + id).json();
        assertThat(batch.path("status").asString()).isEqualTo("succeeded");
        assertThat(batch.path("tasks")).hasSize(1);
        assertThat(batch.path("tasks").get(0).path("task_id").asString()).isEqualTo(id);
    }

    @Test
    void sleepWaitsItsMilliseconds() {
        JsonNode accepted = server.http.post("/v1/tasks",
                "{\"type\": \"sleep\", \"model\": \"ops-timer\", \"input\": {\"ms\": 300}}").json();
        JsonNode done = server.awaitTaskEnded(accepted.path("task_id").asString());
        assertThat(done.path("status").asString()).isEqualTo("succeeded");
        assertThat(done.path("cost_time").asDouble()).isGreaterThanOrEqualTo(0.3);
    }

    @Test
    void aChatTaskMayCarryItsOwnMessages() {
        JsonNode accepted = server.http.post("/v1/tasks", "{\"type\": \"chat\", \"model\": \"qwen2.5:7b\", "
                + "\"input\": {\"messages\": [{\"role\": \"system\", \"content\": \"terse\"}, "
                + "{\"role\": \"user\", \"content\": \"own messages\"}]}}").json();
        JsonNode done = server.awaitTaskEnded(accepted.path("task_id").asString());
        assertThat(done.path("response_text").asString()).isEqualTo("echo: own messages");
        assertThat(done.path("lane").asString()).isEqualTo("llm");
        assertThat(done.path("conversation_id").isNull()).isTrue();
    }

    @Test
    void listingFiltersAndPagesNewestFirst() {
        String marker = "{\"type\": \"noop\", \"lane\": \"ops\", \"input\": {\"page\": true}}";
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(server.http.post("/v1/tasks", marker).json().path("task_id").asString());
        }
        created.forEach(server::awaitTaskEnded);

        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = server.http.get("/v1/tasks?type=noop&lane=ops&status=succeeded&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.path("data").size()).isLessThanOrEqualTo(3);
            for (JsonNode t : page.path("data")) {
                assertThat(t.path("type").asString()).isEqualTo("noop");
                assertThat(t.path("status").asString()).isEqualTo("succeeded");
                assertThat(seen.add(t.path("task_id").asString())).isTrue();
                order.add(t.path("task_id").asString());
            }
            cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asString();
        } while (cursor != null);
        assertThat(seen).containsAll(created);
        List<String> ours = order.stream().filter(created::contains).toList();
        assertThat(ours).containsExactlyElementsOf(created.reversed());

        JsonNode byBatch = server.http.get("/v1/tasks?batch_id=" + server.http.get("/v1/tasks/" + created.getFirst())
                .json().path("batch_id").asString()).json();
        assertThat(byBatch.path("data")).hasSize(1);
        JsonNode none = server.http.get("/v1/tasks?created_after=2999-01-01T00:00:00Z").json();
        assertThat(none.path("data")).isEmpty();
        assertThat(none.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void chatListingByConversation() {
        JsonNode accepted = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"listed\", \"model\": \"m1, m2\"}").json();
        String conversation = accepted.path("conversation_id").asString();
        JsonNode page = server.await("/v1/tasks?conversation_id=" + conversation,
                p -> p.path("data").size() == 2, Duration.ofSeconds(10));
        assertThat(StreamSupport.stream(page.path("data").spliterator(), false)
                .map(t -> t.path("model").asString())).containsExactly("m2", "m1");
    }

    @Test
    void healthReadinessAndDocs() {
        assertThat(server.http.get("/healthz").status()).isEqualTo(200);
        Http.Reply ready = server.http.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("database").asString()).isEqualTo("ok");
        assertThat(ready.json().path("checks").path("queue").asString()).isEqualTo("ok");
        JsonNode openapi = server.http.get("/openapi.json").json();
        for (String path : new String[] {"/v1/tasks", "/v1/tasks/{id}", "/v1/tasks/{id}/logs", "/v1/chat/completions",
                "/v1/batches/{id}", "/v1/conversations", "/v1/conversations/{id}/history"}) {
            assertThat(openapi.path("paths").has(path)).as(path).isTrue();
        }
        assertThat(openapi.path("paths").path("/v1/tasks").path("post").path("requestBody").path("content")
                .has("application/json")).isTrue();
        Http.Reply docs = server.http.get("/docs");
        assertThat(docs.status()).isIn(200, 302);
    }
}
