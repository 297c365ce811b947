package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import dev.tasklane.testing.ReceivedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** POST /v1/chat/completions end to end: routing, fan-out, copies, conversations and history. */
class ChatApiTest {
    static FakeOpenAiServer alpha;
    static FakeOpenAiServer beta;
    static RunningServer server;

    @BeforeAll
    static void start() {
        alpha = FakeOpenAiServer.start();
        beta = FakeOpenAiServer.start();
        beta.respondWith(r -> r.lastUserMessage().startsWith("fail")
                ? FakeResponse.error(400, "bad request from beta")
                : FakeResponse.okWithReasoning("beta says " + r.lastUserMessage(), "thinking"));
        server = RunningServer.start("chatapi", """
                lanes:
                  alpha:
                    models: ["alpha-*"]
                    nodes: [{name: alpha-a, url: "%s", api_key: "k-alpha"}]
                  beta:
                    models: ["beta*"]
                    nodes: [{name: beta-a, url: "%s/chat/completions"}]
                """.formatted(alpha.baseUrl(), beta.baseUrl()));
    }

    @AfterAll
    static void stop() {
        server.close();
        alpha.close();
        beta.close();
    }

    @Test
    void aPromptGetsItsAnswerStored() {
        Http.Reply reply = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"hello there\", \"model\": \"alpha-1\", \"params\": {\"temperature\": 0.2}}");
        assertThat(reply.status()).isEqualTo(202);
        JsonNode accepted = reply.json();
        assertThat(accepted.path("status").asString()).isEqualTo("queued");
        assertThat(accepted.path("task_ids")).hasSize(1);
        assertThat(accepted.path("message").asString()).isEqualTo("queued 1 task");
        String taskId = accepted.path("task_id").asString();

        JsonNode task = server.awaitTaskEnded(taskId);
        assertThat(task.path("status").asString()).isEqualTo("succeeded");
        assertThat(task.path("status_code").asInt()).isEqualTo(1);
        assertThat(task.path("response_text").asString()).isEqualTo("echo: hello there");
        assertThat(task.path("lane").asString()).isEqualTo("alpha");
        assertThat(task.path("node").asString()).isEqualTo("alpha-a");
        assertThat(task.path("attempts").asInt()).isEqualTo(1);
        assertThat(task.path("max_attempts").asInt()).isEqualTo(3);
        assertThat(task.path("timeout_seconds").asInt()).isEqualTo(120);
        assertThat(task.path("usage").path("total_tokens").isNumber()).isTrue();
        assertThat(task.path("batch_id").asString()).isEqualTo(accepted.path("batch_id").asString());
        assertThat(task.path("cost_time").isNumber()).isTrue();

        ReceivedRequest call = alpha.requests().stream().filter(r -> "hello there".equals(r.lastUserMessage()))
                .findFirst().orElseThrow();
        assertThat(call.header("Authorization")).isEqualTo("Bearer k-alpha");
        assertThat(call.body().path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(call.model()).isEqualTo("alpha-1");

        JsonNode logs = server.http.get("/v1/tasks/" + taskId + "/logs").json().path("data");
        List<String> messages = StreamSupport.stream(logs.spliterator(), false)
                .map(l -> l.path("message").asString()).toList();
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).contains("queued");
        assertThat(messages.get(1)).contains("claimed by worker");
        assertThat(messages.get(2)).contains("succeeded on node alpha-a");
    }

    @Test
    void fanOutAndCopiesMakeOneTaskEachInModelOrder() {
        JsonNode accepted = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"fan\", \"model\": \"beta-x, alpha-2\", \"n\": 2}").json();
        assertThat(accepted.path("task_ids")).hasSize(4);
        assertThat(accepted.path("message").asString()).isEqualTo("queued 4 tasks");
        String batch = accepted.path("batch_id").asString();
        JsonNode done = server.await("/v1/batches/" + batch,
                b -> b.path("status").asString().equals("succeeded"), Duration.ofSeconds(30));
        assertThat(done.path("counts").path("succeeded").asInt()).isEqualTo(4);
        assertThat(done.path("conversation_id").asString()).isEqualTo(accepted.path("conversation_id").asString());
        List<String> models = StreamSupport.stream(done.path("tasks").spliterator(), false)
                .map(t -> t.path("model").asString()).toList();
        assertThat(models).containsExactly("beta-x", "beta-x", "alpha-2", "alpha-2");
        List<String> ids = StreamSupport.stream(done.path("tasks").spliterator(), false)
                .map(t -> t.path("task_id").asString()).toList();
        assertThat(ids).containsExactlyElementsOf(
                StreamSupport.stream(accepted.path("task_ids").spliterator(), false).map(JsonNode::asString).toList());
        JsonNode betaTask = done.path("tasks").get(0);
        assertThat(betaTask.path("response_text").asString()).isEqualTo("beta says fan");
        assertThat(betaTask.path("reasoning_text").asString()).isEqualTo("thinking");
    }

    @Test
    void aBatchWithOneFailureIsPartial() {
        JsonNode accepted = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"fail please\", \"model\": \"alpha-1,beta-1\"}").json();
        JsonNode done = server.await("/v1/batches/" + accepted.path("batch_id").asString(),
                b -> !b.path("status").asString().equals("running"), Duration.ofSeconds(30));
        assertThat(done.path("status").asString()).isEqualTo("partial");
        JsonNode failed = done.path("tasks").get(1);
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("status_code").asInt()).isEqualTo(2);
        assertThat(failed.path("error").path("code").asString()).isEqualTo("upstream_error");
        assertThat(failed.path("error").path("retryable").asBoolean()).isFalse();
        assertThat(failed.path("error").path("message").asString()).contains("400");
    }

    @Test
    void aConversationSendsItsHistoryAndKeepsEveryTurn() {
        JsonNode first = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"my name is Ada\", \"model\": \"alpha-1\", \"system\": \"be brief\"}").json();
        String conversation = first.path("conversation_id").asString();
        server.awaitTaskEnded(first.path("task_id").asString());

        JsonNode second = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"what is my name?\", \"model\": \"alpha-1\", \"conversation_id\": \"" + conversation
                        + "\"}").json();
        assertThat(second.path("conversation_id").asString()).isEqualTo(conversation);
        server.awaitTaskEnded(second.path("task_id").asString());

        ReceivedRequest call = alpha.requests().stream()
                .filter(r -> "what is my name?".equals(r.lastUserMessage())).findFirst().orElseThrow();
        assertThat(call.messages()).containsExactly(
                new ReceivedRequest.Message("system", "be brief"),
                new ReceivedRequest.Message("user", "my name is Ada"),
                new ReceivedRequest.Message("assistant", "echo: my name is Ada"),
                new ReceivedRequest.Message("user", "what is my name?"));

        JsonNode history = server.http.get("/v1/conversations/" + conversation + "/history").json();
        List<String> turns = StreamSupport.stream(history.path("messages").spliterator(), false)
                .map(m -> m.path("role").asString() + ":" + m.path("content").asString()).toList();
        assertThat(turns).containsExactly("user:my name is Ada", "assistant:echo: my name is Ada",
                "user:what is my name?", "assistant:echo: what is my name?");
        assertThat(history.path("messages").get(0).path("task_id").asString())
                .isEqualTo(first.path("task_id").asString());
        assertThat(history.path("messages").get(0).path("batch_id").asString())
                .isEqualTo(first.path("batch_id").asString());
    }

    @Test
    void aFanOutTurnKeepsEachAnswerAndTheNextTurnHearsItsOwnModel() {
        JsonNode first = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"pick a colour\", \"model\": \"alpha-1, beta-1\"}").json();
        String conversation = first.path("conversation_id").asString();
        server.await("/v1/batches/" + first.path("batch_id").asString(),
                b -> b.path("status").asString().equals("succeeded"), Duration.ofSeconds(30));

        JsonNode second = server.http.post("/v1/chat/completions", "{\"prompt\": \"why that one?\", "
                + "\"model\": \"beta-1\", \"conversation_id\": \"" + conversation + "\"}").json();
        server.awaitTaskEnded(second.path("task_id").asString());
        ReceivedRequest call = beta.requests().stream()
                .filter(r -> "why that one?".equals(r.lastUserMessage())).findFirst().orElseThrow();
        assertThat(call.messages()).containsExactly(
                new ReceivedRequest.Message("user", "pick a colour"),
                new ReceivedRequest.Message("assistant", "beta says pick a colour"),
                new ReceivedRequest.Message("user", "why that one?"));

        JsonNode history = server.http.get("/v1/conversations/" + conversation + "/history").json();
        assertThat(history.path("messages")).hasSize(5);
        List<String> roles = StreamSupport.stream(history.path("messages").spliterator(), false)
                .map(m -> m.path("role").asString()).toList();
        assertThat(roles).containsExactly("user", "assistant", "assistant", "user", "assistant");
    }

    @Test
    void multipartFieldsWorkLikeJson() {
        String boundary = "tlboundary";
        String body = part(boundary, "prompt", "from a form") + part(boundary, "model", "alpha-9")
                + part(boundary, "n", "2") + part(boundary, "params", "{\"max_tokens\": 5}") + "--" + boundary + "--\r\n";
        Http.Reply reply = server.http.post("/v1/chat/completions", "multipart/form-data; boundary=" + boundary,
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(reply.status()).isEqualTo(202);
        JsonNode accepted = reply.json();
        assertThat(accepted.path("task_ids")).hasSize(2);
        JsonNode task = server.awaitTaskEnded(accepted.path("task_id").asString());
        assertThat(task.path("response_text").asString()).isEqualTo("echo: from a form");
        assertThat(alpha.requests().stream().filter(r -> "from a form".equals(r.lastUserMessage()))
                .allMatch(r -> r.body().path("max_tokens").asInt() == 5)).isTrue();
    }

    @Test
    void deletingAConversationRemovesItsHistory() {
        JsonNode first = server.http.post("/v1/chat/completions",
                "{\"prompt\": \"forget me\", \"model\": \"alpha-1\"}").json();
        String conversation = first.path("conversation_id").asString();
        server.awaitTaskEnded(first.path("task_id").asString());
        JsonNode listed = server.http.get("/v1/conversations?limit=500").json();
        assertThat(StreamSupport.stream(listed.path("data").spliterator(), false)
                .map(c -> c.path("conversation_id").asString())).contains(conversation);

        assertThat(server.http.delete("/v1/conversations/" + conversation).status()).isEqualTo(204);
        assertThat(server.http.get("/v1/conversations/" + conversation + "/history").status()).isEqualTo(404);
        assertThat(server.http.delete("/v1/conversations/" + conversation).status()).isEqualTo(404);
        assertThat(server.http.get("/v1/tasks/" + first.path("task_id").asString()).status()).isEqualTo(200);
        Http.Reply continued = server.http.post("/v1/chat/completions", "{\"prompt\": \"again\", \"model\": "
                + "\"alpha-1\", \"conversation_id\": \"" + conversation + "\"}");
        assertThat(continued.status()).isEqualTo(404);
    }

    private static String part(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
}
