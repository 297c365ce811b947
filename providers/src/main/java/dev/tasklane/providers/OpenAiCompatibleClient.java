package dev.tasklane.providers;

import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.port.ModelCallException;
import dev.tasklane.core.port.ModelCallException.Kind;
import dev.tasklane.core.port.ModelClient;
import dev.tasklane.core.port.ModelRequest;
import dev.tasklane.core.port.ModelResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hc.client5.http.ConnectTimeoutException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a model that speaks the OpenAI Chat Completions wire format (OpenAI, vLLM, Ollama,
 * LM Studio, DeepSeek, ...), without streaming. Thread-safe: one instance serves every node
 * and every concurrent call. Calls block their thread and are meant for virtual threads
 * (see {@link BlockingHttp}).
 */
public final class OpenAiCompatibleClient implements ModelClient, AutoCloseable {

    public static final String PROVIDER = "openai";

    private static final String ENDPOINT_PATH = "/chat/completions";
    private static final JsonMapper JSON = JsonMapper.shared();

    private final BlockingHttp http;
    private final Duration connectTimeout;

    /** @param connectTimeout bounds connection set-up to a node, apart from each call's own timeout */
    public OpenAiCompatibleClient(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.http = new BlockingHttp(connectTimeout);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public ModelResponse complete(ModelRequest request) throws ModelCallException {
        NodeConfig node = Objects.requireNonNull(request.node(), "node");
        Duration timeout = Objects.requireNonNull(request.timeout(), "timeout");
        BlockingHttp.Answer answer;
        try {
            answer = http.postJson(endpoint(node.url()), JSON.writeValueAsBytes(body(request)), headers(node), timeout);
        } catch (IOException e) {
            throw transportFailure(node, timeout, e);
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw statusError(node, answer);
        }
        return OpenAiResponses.parse(node.name(), answer.body());
    }

    /** {@code url} itself when it names the endpoint, else the endpoint under the API base. */
    private static URI endpoint(String url) {
        String trimmed = url.strip();
        if (trimmed.endsWith(ENDPOINT_PATH)) {
            return URI.create(trimmed);
        }
        String base = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        return URI.create(base + ENDPOINT_PATH);
    }

    private static Map<String, String> headers(NodeConfig node) {
        Map<String, String> headers = new LinkedHashMap<>();
        String apiKey = node.apiKey();
        if (apiKey != null && !apiKey.isBlank()) {
            headers.put("Authorization", "Bearer " + apiKey.strip());
        }
        return headers;
    }

    /** The params first, so that the fields this call must control are written over them. */
    private static ObjectNode body(ModelRequest request) {
        ObjectNode body = JSON.createObjectNode();
        if (request.params() != null) {
            body.setAll(request.params());
        }
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        body.put("stream", false);
        return body;
    }

    private ModelCallException transportFailure(NodeConfig node, Duration timeout, IOException cause) {
        if (Thread.currentThread().isInterrupted()) {
            // The worker is being cancelled: the interrupt closed the socket; the caller sees the interrupt.
            return new ModelCallException(Kind.CONNECTION, 0, null, "call aborted", cause);
        }
        if (cause instanceof ConnectTimeoutException) {
            return new ModelCallException(Kind.CONNECTION, 0, null, "node " + node.name()
                    + ": no connection within " + connectTimeout.toMillis() + " ms", cause);
        }
        if (cause instanceof BlockingHttp.DeadlineExceeded || cause instanceof InterruptedIOException) {
            return timedOut(node, timeout, cause);
        }
        return new ModelCallException(Kind.CONNECTION, 0, null,
                "node " + node.name() + ": connection failed: " + describe(cause), cause);
    }

    private static ModelCallException timedOut(NodeConfig node, Duration timeout, Throwable cause) {
        return new ModelCallException(Kind.TIMEOUT, 0, null,
                "node " + node.name() + " gave no answer within " + timeout.toMillis() + " ms", cause);
    }

    private static ModelCallException statusError(NodeConfig node, BlockingHttp.Answer answer) {
        Duration retryAfter = answer.retryAfter() == null ? null : RetryAfter.parse(answer.retryAfter(), Instant.now());
        String upstream = OpenAiResponses.errorMessage(answer.body());
        // Some servers quote the key they refused; the message is stored and shown, the key must not be.
        if (node.apiKey() != null && !node.apiKey().isBlank()) {
            upstream = upstream.replace(node.apiKey().strip(), "***");
        }
        String message = "node " + node.name() + " answered HTTP " + answer.status() + ": " + upstream;
        return new ModelCallException(Kind.HTTP_STATUS, answer.status(), retryAfter, message, null);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        String type = cause.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
