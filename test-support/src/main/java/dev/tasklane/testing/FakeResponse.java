package dev.tasklane.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link FakeOpenAiServer} answers to one request. Immutable; build one with the factories,
 * then add headers with {@link #withHeader}. Completions are rendered per request, so they carry
 * the requested model and usage figures that count words as tokens.
 */
public final class FakeResponse {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final int status;
    private final Map<String, String> headers;
    private final Function<ReceivedRequest, String> body;
    private final Duration delay;
    private final boolean hangs;

    private FakeResponse(int status, Map<String, String> headers, Function<ReceivedRequest, String> body,
                         Duration delay, boolean hangs) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.delay = delay;
        this.hangs = hangs;
    }

    /** A {@code chat.completion} whose {@code choices[0].message.content} is {@code text}, with usage. */
    public static FakeResponse ok(String text) {
        return okWithReasoning(text, null);
    }

    /** As {@link #ok}, with {@code reasoning_content} in the message as reasoning models send it. */
    public static FakeResponse okWithReasoning(String text, String reasoning) {
        return new FakeResponse(200, Map.of(), request -> completion(request, text, reasoning), Duration.ZERO, false);
    }

    /** An OpenAI-style error body, {@code {"error": {"message", "type"}}}, with the given status. */
    public static FakeResponse error(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error")
                .put("message", message)
                .put("type", status >= 500 ? "server_error" : "invalid_request_error");
        String body = JSON.writeValueAsString(root);
        return new FakeResponse(status, Map.of(), request -> body, Duration.ZERO, false);
    }

    /**
     * Exactly {@code body} with the given status, e.g. a broken answer or an HTML error page. Like every
     * response it is labelled {@code application/json} unless a {@code Content-Type} header is added.
     */
    public static FakeResponse raw(int status, String body) {
        Objects.requireNonNull(body, "body");
        return new FakeResponse(status, Map.of(), request -> body, Duration.ZERO, false);
    }

    /** {@code response}, sent only after {@code delay} (cut short when the server closes). */
    public static FakeResponse delayed(Duration delay, FakeResponse response) {
        return new FakeResponse(response.status, response.headers, response.body, response.delay.plus(delay),
                response.hangs);
    }

    /** Never answers; the connection is dropped when the server closes. */
    public static FakeResponse hang() {
        return new FakeResponse(0, Map.of(), request -> "", Duration.ZERO, true);
    }

    /** This response with one more header, e.g. {@code withHeader("Retry-After", "1")}. */
    public FakeResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new FakeResponse(status, more, body, delay, hangs);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    String body(ReceivedRequest request) {
        return body.apply(request);
    }

    Duration delay() {
        return delay;
    }

    boolean hangs() {
        return hangs;
    }

    private static String completion(ReceivedRequest request, String text, String reasoning) {
        ObjectNode root = JSON.createObjectNode()
                .put("id", "chatcmpl-" + UUID.randomUUID())
                .put("object", "chat.completion")
                .put("created", Instant.now().getEpochSecond())
                .put("model", request.model() == null ? "fake-model" : request.model());
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant").put("content", text);
        if (reasoning != null) {
            message.put("reasoning_content", reasoning);
        }
        choice.put("finish_reason", "stop");
        int promptTokens = request.messages().stream().mapToInt(m -> words(m.content())).sum();
        int completionTokens = words(text) + words(reasoning);
        root.putObject("usage")
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return JSON.writeValueAsString(root);
    }

    private static int words(String text) {
        return text == null || text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }
}
