package dev.tasklane.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A fake model server speaking the OpenAI Chat Completions wire format, for tests. It listens on
 * 127.0.0.1 on a free port and handles each request on its own virtual thread, so hundreds of slow
 * or hanging calls can be in flight at once. It records every request it receives.
 *
 * <pre>{@code
 * try (FakeOpenAiServer model = FakeOpenAiServer.start()) {
 *     model.respondWith(request -> FakeResponse.error(429, "slow down").withHeader("Retry-After", "1"));
 *     ... call model.baseUrl() ...
 *     assertThat(model.callCount()).isEqualTo(1);
 * }
 * }</pre>
 *
 * By default it answers {@code ok("echo: " + lastUserMessage)} on any path ending in
 * {@code /chat/completions}, and 404 elsewhere.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    private static final String ENDPOINT_PATH = "/chat/completions";
    /** Connections the kernel may queue before they are accepted: many calls may connect at once. */
    private static final int BACKLOG = 1024;

    static {
        // The JDK's server closes every idle keep-alive connection beyond this many (200 by default)
        // without a "Connection: close", so a client reusing one from its pool gets no answer; a test
        // with hundreds of calls in flight would fail by chance. Read when the first server starts.
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    /** Opened by {@link #close()}: releases hanging and delayed answers. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<ReceivedRequest> received = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<ReceivedRequest, FakeResponse> behaviour = FakeOpenAiServer::echo;

    private FakeOpenAiServer(HttpServer server) {
        this.server = server;
    }

    public static FakeOpenAiServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
            FakeOpenAiServer fake = new FakeOpenAiServer(server);
            server.createContext("/", fake::handle);
            server.setExecutor(fake.handlers);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake OpenAI server", e);
        }
    }

    /** The API base, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers every later request with what {@code behaviour} returns for it; an exception becomes a 500. */
    public FakeOpenAiServer respondWith(Function<ReceivedRequest, FakeResponse> behaviour) {
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        return this;
    }

    /** Every request received so far, in arrival order, including those still waiting for their answer. */
    public List<ReceivedRequest> requests() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many requests arrived, on any path. */
    public int callCount() {
        return received.size();
    }

    /** How many requests carried each last user message; requests without one are left out. */
    public Map<String, Integer> callsByLastUserMessage() {
        Map<String, Integer> counts = new HashMap<>();
        for (ReceivedRequest request : requests()) {
            String message = request.lastUserMessage();
            if (message != null) {
                counts.merge(message, 1, Integer::sum);
            }
        }
        return Map.copyOf(counts);
    }

    /** Stops listening and drops every open connection, hanging requests included. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private static FakeResponse echo(ReceivedRequest request) {
        if (!request.path().endsWith(ENDPOINT_PATH)) {
            return FakeResponse.error(404, "no such endpoint: " + request.path());
        }
        return FakeResponse.ok("echo: " + request.lastUserMessage());
    }

    private void handle(HttpExchange exchange) {
        // Closing an exchange that has sent nothing drops its connection: that is how a hang ends.
        try (exchange) {
            ReceivedRequest request = ReceivedRequest.read(exchange);
            received.add(request);
            FakeResponse response = answerFor(request);
            if (waitToAnswer(response)) {
                send(exchange, response, request);
            }
        } catch (IOException clientGone) {
            // The client timed out or hung up: there is no one left to answer.
        } catch (InterruptedException shuttingDown) {
            Thread.currentThread().interrupt();
        }
    }

    private FakeResponse answerFor(ReceivedRequest request) {
        try {
            return Objects.requireNonNull(behaviour.apply(request), "the behaviour returned no response");
        } catch (RuntimeException e) {
            return FakeResponse.error(500, "fake server behaviour failed: " + e);
        }
    }

    /** Waits out the response's delay; false when it hangs or the server closed meanwhile. */
    private boolean waitToAnswer(FakeResponse response) throws InterruptedException {
        if (response.hangs()) {
            closing.await();
            return false;
        }
        return !closing.await(response.delay().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void send(HttpExchange exchange, FakeResponse response, ReceivedRequest request)
            throws IOException {
        byte[] body = response.body(request).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.headers().forEach(exchange.getResponseHeaders()::set);
        // -1 tells the server there is no body at all.
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
