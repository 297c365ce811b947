package dev.tasklane.providers;

import static dev.tasklane.providers.ModelRequests.MODEL;
import static dev.tasklane.providers.ModelRequests.TIMEOUT;
import static dev.tasklane.providers.ModelRequests.ask;
import static dev.tasklane.providers.ModelRequests.node;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.model.Usage;
import dev.tasklane.core.port.ModelRequest;
import dev.tasklane.core.port.ModelResponse;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import dev.tasklane.testing.ReceivedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class OpenAiCompatibleClientTest {

    private static final OpenAiCompatibleClient CLIENT = new OpenAiCompatibleClient(Duration.ofSeconds(2));
    private static final JsonMapper JSON = JsonMapper.shared();

    private final FakeOpenAiServer model = FakeOpenAiServer.start();

    @AfterEach
    void stopModel() {
        model.close();
    }

    @Test
    void returnsTheAnswerWithUsageAndReasoning() throws Exception {
        model.respondWith(request -> FakeResponse.okWithReasoning("Paris", "France's capital is Paris"));
        ModelRequest request = new ModelRequest(node(model.baseUrl(), null), MODEL,
                List.of(new ChatMessage("system", "be brief"), new ChatMessage("user", "capital of France?")),
                null, TIMEOUT);

        ModelResponse response = CLIENT.complete(request);

        assertThat(response.text()).isEqualTo("Paris");
        assertThat(response.reasoningText()).isEqualTo("France's capital is Paris");
        // The fake counts words as tokens: 2 + 3 prompt words, 1 + 4 answer words.
        assertThat(response.usage()).isEqualTo(new Usage(5, 5, 10));
        assertThat(response.raw().path("object").stringValue()).isEqualTo("chat.completion");
        assertThat(CLIENT.provider()).isEqualTo("openai");
    }

    @Test
    void sendsModelMessagesAndNoStreaming() throws Exception {
        ModelResponse response = CLIENT.complete(ask(model.baseUrl(), "hello"));

        assertThat(response.text()).isEqualTo("echo: hello");
        assertThat(response.reasoningText()).isNull();
        ReceivedRequest received = model.requests().getFirst();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.header("Content-Type")).isEqualTo("application/json");
        assertThat(received.model()).isEqualTo(MODEL);
        assertThat(received.messages()).containsExactly(new ReceivedRequest.Message("user", "hello"));
        assertThat(received.body().path("stream").asBoolean(true)).isFalse();
    }

    @Test
    void aBaseUrlAndAFullEndpointUrlReachTheSameEndpoint() throws Exception {
        for (String url : List.of(model.baseUrl(), model.baseUrl() + "/", model.baseUrl() + "/chat/completions")) {
            CLIENT.complete(ask(url, "hi"));
        }

        assertThat(model.requests()).extracting(ReceivedRequest::path)
                .containsExactly("/v1/chat/completions", "/v1/chat/completions", "/v1/chat/completions");
    }

    @Test
    void sendsTheApiKeyAsABearerTokenOnlyWhenThereIsOne() throws Exception {
        CLIENT.complete(ask(node(model.baseUrl(), "sk-test-123"), "a", null, TIMEOUT));
        CLIENT.complete(ask(node(model.baseUrl(), null), "b", null, TIMEOUT));
        CLIENT.complete(ask(node(model.baseUrl(), "  "), "c", null, TIMEOUT));

        assertThat(model.requests()).extracting(request -> request.header("Authorization"))
                .containsExactly("Bearer sk-test-123", null, null);
    }

    @Test
    void passesParamsThroughButKeepsModelMessagesAndStreamItsOwn() throws Exception {
        ObjectNode params = JSON.createObjectNode()
                .put("temperature", 0.2)
                .put("max_tokens", 64)
                .put("model", "someone-else")
                .put("stream", true);
        params.putArray("messages").addObject().put("role", "user").put("content", "injected");

        CLIENT.complete(ask(node(model.baseUrl(), null), "real question", params, TIMEOUT));

        ReceivedRequest received = model.requests().getFirst();
        assertThat(received.body().path("temperature").doubleValue()).isEqualTo(0.2);
        assertThat(received.body().path("max_tokens").intValue()).isEqualTo(64);
        assertThat(received.model()).isEqualTo(MODEL);
        assertThat(received.lastUserMessage()).isEqualTo("real question");
        assertThat(received.messages()).hasSize(1);
        assertThat(received.body().path("stream").asBoolean(true)).isFalse();
    }

    @Test
    void joinsTheTextPartsOfContentGivenAsParts() throws Exception {
        model.respondWith(request -> FakeResponse.raw(200, """
                {"choices": [{"message": {"role": "assistant", "content": [
                  {"type": "text", "text": "Hello, "},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                  {"type": "text", "text": "world"}]}}]}
                """));

        ModelResponse response = CLIENT.complete(ask(model.baseUrl(), "hi"));

        assertThat(response.text()).isEqualTo("Hello, world");
        assertThat(response.usage()).isEqualTo(new Usage(null, null, null));
    }

    @Test
    void readsReasoningFromTheReasoningFieldWhenThereIsNoReasoningContent() throws Exception {
        model.respondWith(request -> FakeResponse.raw(200, """
                {"choices": [{"message": {"content": "42", "reasoning": "six times seven"}}],
                 "usage": {"prompt_tokens": 7, "completion_tokens": 3}}
                """));

        ModelResponse response = CLIENT.complete(ask(model.baseUrl(), "answer?"));

        assertThat(response.text()).isEqualTo("42");
        assertThat(response.reasoningText()).isEqualTo("six times seven");
        assertThat(response.usage()).isEqualTo(new Usage(7, 3, null));
    }

    @Test
    void carriesHundredsOfSlowCallsAtOnce() throws Exception {
        int calls = 300;
        model.respondWith(request -> FakeResponse.delayed(Duration.ofMillis(300),
                FakeResponse.ok("done " + request.lastUserMessage())));
        long started = System.nanoTime();

        List<Future<ModelResponse>> answers = new ArrayList<>();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                String prompt = "task-" + i;
                answers.add(workers.submit(() -> CLIENT.complete(ask(model.baseUrl(), prompt))));
            }
        }

        for (int i = 0; i < calls; i++) {
            assertThat(answers.get(i).get().text()).isEqualTo("done task-" + i);
        }
        // Run one after another, 300 calls of 300 ms would take 90 s.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(model.callsByLastUserMessage()).hasSize(calls).allSatisfy((prompt, count) ->
                assertThat(count).as(prompt).isEqualTo(1));
    }

    @Test
    void theRawAnswerIsTheParsedBody() throws Exception {
        ModelResponse response = CLIENT.complete(ask(model.baseUrl(), "hi"));

        JsonNode message = response.raw().path("choices").path(0).path("message");
        assertThat(message.path("content").stringValue()).isEqualTo("echo: hi");
        assertThat(response.raw().path("model").stringValue()).isEqualTo(MODEL);
    }
}
