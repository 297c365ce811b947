package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.testing.FakeOpenAiServer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every bad request is a problem+json naming the field, and writes nothing. */
class BadInputTest {
    static FakeOpenAiServer model;
    static RunningServer server;

    @BeforeAll
    static void start() {
        model = FakeOpenAiServer.start();
        server = RunningServer.start("badinput", """
                lanes:
                  gemini:
                    models: ["gemini-*"]
                    nodes: [{url: "%s"}]
                  deepseek:
                    models: ["deepseek*"]
                    nodes: [{url: "%s"}]
                """.formatted(model.baseUrl(), model.baseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2} naming {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            /v1/chat/completions | {"prompt": 123, "model": "gemini-1"}                     | 400 | prompt
            /v1/chat/completions | {"model": "gemini-1"}                                    | 400 | prompt
            /v1/chat/completions | {"prompt": "", "model": "gemini-1"}                      | 400 | prompt
            /v1/chat/completions | {"prompt": "hi"}                                         | 400 | model
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1,,deepseek"}          | 400 | model
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1, gemini-1"}          | 400 | model
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "n": 9}            | 400 | n
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "n": "2"}          | 400 | n
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "n": 1.5}          | 400 | n
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "gemini_concurrency": 0} | 400 | gemini_concurrency
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "priority": "urgent"} | 400 | priority
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "params": "hot"}   | 400 | params
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "system": 7}       | 400 | system
            /v1/chat/completions | {"prompt": "hi", "model": "gpt-4o"}                      | 422 | model
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1, gpt-4o"}           | 422 | model
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1", "conversation_id": "0199a0a0-0000-7000-8000-000000000000"} | 404 | conversation_id
            /v1/chat/completions | {"messages": [{"role": "user", "content": "hi"}], "model": "gemini-1"} | 422 | messages
            /v1/chat/completions | {"prompt": "hi", "model": "gemini-1"                      | 400 | body
            /v1/chat/completions | ["prompt"]                                               | 400 | body
            /v1/tasks            | {"model": "gemini-1"}                                    | 400 | type
            /v1/tasks            | {"type": "teleport", "lane": "gemini"}                   | 422 | type
            /v1/tasks            | {"type": "noop"}                                         | 422 | model
            /v1/tasks            | {"type": "noop", "lane": "nowhere"}                      | 422 | lane
            /v1/tasks            | {"type": "noop", "model": "gpt-4o"}                      | 422 | model
            /v1/tasks            | {"type": "noop", "lane": "gemini", "input": [1]}         | 400 | input
            /v1/tasks            | {"type": "noop", "lane": "gemini", "max_attempts": 0}    | 400 | max_attempts
            /v1/tasks            | {"type": "noop", "lane": "gemini", "timeout_seconds": -1} | 400 | timeout_seconds
            /v1/tasks            | {"type": "noop", "lane": "gemini", "priority": 1}        | 400 | priority
            /v1/tasks            | {"type": "noop", "lane": "gemini", "metadata": "x"}      | 400 | metadata
            /v1/tasks            | {"type": "noop", "lane": "gemini", "run_at": "2030-01-01T00:00:00Z"} | 422 | run_at
            /v1/tasks            | {"type": "noop", "lane": "gemini", "idempotency_key": 5}  | 400 | idempotency_key
            /v1/tasks            | {"type": "noop", "lane": "gemini", "idempotency_key": ""} | 400 | idempotency_key
            /v1/tasks            | {"type": "chat", "model": "gemini-1", "input": {}}       | 400 | input.prompt
            /v1/tasks            | {"type": "chat", "model": "gemini-1", "input": {"prompt": 5}} | 400 | input.prompt
            /v1/tasks            | {"type": "chat", "model": "gemini-1", "input": {"messages": [{"role": "user"}]}} | 400 | input.messages[0]
            """)
    void refusedWithTheFieldNamedAndNothingWritten(String path, String body, int status, String field) {
        long before = rows();
        Http.Reply reply = server.http.post(path, body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("errors").get(0).path("field").asString()).isEqualTo(field);
        assertThat(problem.path("detail").asString()).doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(rows()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void anUnknownModelListsEveryLanesRoutes() {
        JsonNode problem = server.http.post("/v1/chat/completions", "{\"prompt\": \"hi\", \"model\": \"gpt-4o\"}")
                .json();
        assertThat(problem.path("detail").asString()).contains("gpt-4o").contains("gemini: gemini-*")
                .contains("deepseek: deepseek*");
    }

    @org.junit.jupiter.api.Test
    void oversizedBodiesAndPromptsAre413() {
        long before = rows();
        String hugePrompt = "x".repeat(20_000);
        Http.Reply prompt = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"" + hugePrompt + "\", \"model\": \"gemini-1\"}");
        assertThat(prompt.status()).isEqualTo(413);
        assertThat(prompt.json().path("detail").asString()).contains("prompt");

        String hugeBody = "{\"prompt\": \"hi\", \"model\": \"gemini-1\", \"system\": \"" + "y".repeat(70_000) + "\"}";
        Http.Reply body = server.http.post("/v1/chat/completions", hugeBody);
        assertThat(body.status()).isEqualTo(413);
        assertThat(body.contentType()).startsWith("application/problem+json");

        String boundary = "b";
        byte[] form = ("--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n" + "z".repeat(70_000)
                + "\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
        Http.Reply multipart = server.http.post("/v1/chat/completions", "multipart/form-data; boundary=" + boundary,
                form);
        assertThat(multipart.status()).isEqualTo(413);
        assertThat(rows()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void unknownAndMalformedIdsAre404() {
        String unknown = UUID.randomUUID().toString();
        for (String path : new String[] {"/v1/tasks/" + unknown, "/v1/tasks/not-an-id", "/v1/tasks/" + unknown
                + "/logs", "/v1/batches/" + unknown, "/v1/batches/42", "/v1/conversations/" + unknown + "/history",
                "/v1/conversations/nope/history"}) {
            Http.Reply reply = server.http.get(path);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.contentType()).as(path).startsWith("application/problem+json");
        }
        assertThat(server.http.delete("/v1/conversations/" + unknown).status()).isEqualTo(404);
    }

    @org.junit.jupiter.api.Test
    void badListParametersAre400NamingThem() {
        for (String[] c : new String[][] {{"status=done", "status"}, {"limit=0", "limit"}, {"limit=501", "limit"},
                {"batch_id=12", "batch_id"}, {"created_after=yesterday", "created_after"},
                {"cursor=%25%25", "cursor"}, {"colour=red", "colour"}}) {
            Http.Reply reply = server.http.get("/v1/tasks?" + c[0]);
            assertThat(reply.status()).as(c[0]).isEqualTo(400);
            assertThat(reply.json().path("errors").get(0).path("field").asString()).isEqualTo(c[1]);
        }
        assertThat(server.http.get("/v1/conversations?limit=x").status()).isEqualTo(400);
    }

    @org.junit.jupiter.api.Test
    void wrongMediaTypeIs415() {
        Http.Reply reply = server.http.post("/v1/tasks", "text/plain", "type=noop".getBytes(StandardCharsets.UTF_8));
        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    /** Rows of every table a submission writes. */
    private static long rows() {
        return server.count("SELECT (SELECT count(*) FROM tasks)"
                + " + (SELECT count(*) FROM conversations) + (SELECT count(*) FROM messages)"
                + " + (SELECT count(*) FROM task_events) + (SELECT count(*) FROM idempotency_keys)");
    }
}
