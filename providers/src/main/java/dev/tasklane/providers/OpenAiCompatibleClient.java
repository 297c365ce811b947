package dev.tasklane.providers;

import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.port.ModelCallException;
import dev.tasklane.core.port.ModelCallException.Kind;
import dev.tasklane.core.port.ModelClient;
import dev.tasklane.core.port.ModelRequest;
import dev.tasklane.core.port.ModelResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls a model that speaks the OpenAI Chat Completions wire format (OpenAI, vLLM, Ollama,
 * LM Studio, DeepSeek, ...), without streaming. Thread-safe: one instance serves every node
 * and every concurrent call, spread over a few shared {@link HttpClient}s.
 */
public final class OpenAiCompatibleClient implements ModelClient {

    public static final String PROVIDER = "openai";

    private static final String ENDPOINT_PATH = "/chat/completions";
    private static final JsonMapper JSON = JsonMapper.shared();

    /**
     * One JDK client keeps its connections in one pool, whose bookkeeping grows with the
     * number of connections, and serves them from one selector thread; with thousands of
     * calls in flight that pool and that thread become the bottleneck. Calls are spread over
     * several clients instead.
     */
    private static final int CLIENTS = 16;

    private final HttpClient[] clients = new HttpClient[CLIENTS];
    private final AtomicInteger nextClient = new AtomicInteger();
    private final Duration connectTimeout;

    /** @param connectTimeout bounds connection set-up to a node, apart from each call's own timeout */
    public OpenAiCompatibleClient(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        // The clients' internal hand-offs run here: with thousands of calls in flight a
        // platform thread pool would grow to thousands of threads, virtual threads do not.
        ExecutorService handOffs = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(connectTimeout)
                    .executor(handOffs)
                    .build();
        }
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public ModelResponse complete(ModelRequest request) throws ModelCallException {
        NodeConfig node = Objects.requireNonNull(request.node(), "node");
        Duration timeout = Objects.requireNonNull(request.timeout(), "timeout");
        HttpResponse<byte[]> response = send(node, httpRequest(request), timeout);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw statusError(node, response);
        }
        return OpenAiResponses.parse(node.name(), response.body());
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

    private static HttpRequest httpRequest(ModelRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint(request.node().url()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body(request))));
        String apiKey = request.node().apiKey();
        if (apiKey != null && !apiKey.isBlank()) {
            builder.header("Authorization", "Bearer " + apiKey.strip());
        }
        return builder.build();
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

    /**
     * Sends and waits for the whole answer. The deadline is kept here rather than with
     * {@link HttpRequest.Builder#timeout}, which stops counting once the headers arrive and
     * would let a server that trickles its body hold the call for ever. Cancelling the future
     * closes the connection, so a timed-out or interrupted call leaves nothing running.
     */
    private HttpResponse<byte[]> send(NodeConfig node, HttpRequest request, Duration timeout)
            throws ModelCallException {
        CompletableFuture<HttpResponse<byte[]>> call =
                client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw timedOut(node, timeout, e);
        } catch (InterruptedException e) {
            // The worker is being cancelled: abort the call and let the caller see the interrupt.
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelCallException(Kind.CONNECTION, 0, null, "call aborted", e);
        } catch (ExecutionException e) {
            throw transportFailure(node, timeout, e.getCause());
        }
    }

    private HttpClient client() {
        return clients[Math.floorMod(nextClient.getAndIncrement(), CLIENTS)];
    }

    private ModelCallException transportFailure(NodeConfig node, Duration timeout, Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new ModelCallException(Kind.CONNECTION, 0, null, "node " + node.name()
                    + ": no connection within " + connectTimeout.toMillis() + " ms", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return timedOut(node, timeout, cause);
        }
        if (cause instanceof IOException) {
            return new ModelCallException(Kind.CONNECTION, 0, null,
                    "node " + node.name() + ": connection failed: " + describe(cause), cause);
        }
        // Anything else is a bug in this process, not a failure of the model server.
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("unexpected failure calling node " + node.name(), cause);
    }

    private static ModelCallException timedOut(NodeConfig node, Duration timeout, Throwable cause) {
        return new ModelCallException(Kind.TIMEOUT, 0, null,
                "node " + node.name() + " gave no answer within " + timeout.toMillis() + " ms", cause);
    }

    private static ModelCallException statusError(NodeConfig node, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Duration retryAfter = response.headers().firstValue("Retry-After")
                .map(value -> RetryAfter.parse(value, Instant.now()))
                .orElse(null);
        String upstream = OpenAiResponses.errorMessage(response.body());
        // Some servers quote the key they refused; the message is stored and shown, the key must not be.
        if (node.apiKey() != null && !node.apiKey().isBlank()) {
            upstream = upstream.replace(node.apiKey().strip(), "***");
        }
        String message = "node " + node.name() + " answered HTTP " + status + ": " + upstream;
        return new ModelCallException(Kind.HTTP_STATUS, status, retryAfter, message, null);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        String type = cause.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
