package dev.tasklane.providers;

import static dev.tasklane.providers.ModelRequests.ask;
import static dev.tasklane.providers.ModelRequests.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.tasklane.core.port.ModelCallException;
import dev.tasklane.core.port.ModelCallException.Kind;
import dev.tasklane.core.port.ModelRequest;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiCompatibleClientFailureTest {

    private static final OpenAiCompatibleClient CLIENT = new OpenAiCompatibleClient(Duration.ofSeconds(2));
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

    private final FakeOpenAiServer model = FakeOpenAiServer.start();

    @AfterEach
    void stopModel() {
        model.close();
    }

    @Test
    void aServerErrorIsRetryableAndNamesTheNodeAndTheUpstreamMessage() {
        model.respondWith(request -> FakeResponse.error(500, "the GPU caught fire"));

        ModelCallException failure = callFails(ask(model.baseUrl(), "hi"));

        assertThat(failure.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(failure.httpStatus()).isEqualTo(500);
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.code()).isEqualTo("upstream_error");
        assertThat(failure.retryAfter()).isNull();
        assertThat(failure).hasMessage("node node-a answered HTTP 500: the GPU caught fire");
    }

    @Test
    void aRateLimitCarriesTheServersRetryAfter() {
        model.respondWith(request -> FakeResponse.error(429, "slow down").withHeader("Retry-After", "1"));

        ModelCallException failure = callFails(ask(model.baseUrl(), "hi"));

        assertThat(failure.httpStatus()).isEqualTo(429);
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(failure.code()).isEqualTo("rate_limited");
        assertThat(failure.retryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 422})
    void aClientErrorIsNotRetryable(int status) {
        model.respondWith(request -> FakeResponse.error(status, "rejected"));

        ModelCallException failure = callFails(ask(model.baseUrl(), "hi"));

        assertThat(failure.kind()).isEqualTo(Kind.HTTP_STATUS);
        assertThat(failure.httpStatus()).isEqualTo(status);
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.code()).isEqualTo("upstream_error");
    }

    @Test
    void anErrorPageThatIsNotJsonIsQuotedShortly() {
        model.respondWith(request -> FakeResponse.raw(502,
                "<html>\n<body>Bad gateway " + "x".repeat(5_000) + "</body></html>"));

        ModelCallException failure = callFails(ask(model.baseUrl(), "hi"));

        assertThat(failure.httpStatus()).isEqualTo(502);
        assertThat(failure.getMessage()).startsWith("node node-a answered HTTP 502: <html> <body>Bad gateway xxx")
                .hasSizeLessThan(400);
    }

    @Test
    void aHangingServerTimesOut() {
        model.respondWith(request -> FakeResponse.hang());
        long started = System.nanoTime();

        ModelCallException failure = callFails(ask(node(model.baseUrl(), null), "hi", null, SHORT_TIMEOUT));

        assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(failure.code()).isEqualTo("timeout");
        assertThat(failure.retryable()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void theTimeoutAlsoBoundsABodyThatNeverEnds() throws Exception {
        // Headers at once, then a body that never completes: a proxy that flushes early does this.
        HttpServer trickling = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CountDownLatch release = new CountDownLatch(1);
        trickling.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"choices\": [".getBytes());
            exchange.getResponseBody().flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        trickling.start();
        try {
            String url = "http://127.0.0.1:" + trickling.getAddress().getPort() + "/v1";
            long started = System.nanoTime();

            ModelCallException failure = callFails(ask(node(url, null), "hi", null, SHORT_TIMEOUT));

            assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        } finally {
            release.countDown();
            trickling.stop(0);
        }
    }

    @Test
    void aClosedPortIsAConnectionError() {
        String url = model.baseUrl();
        model.close();

        ModelCallException failure = callFails(ask(url, "hi"));

        assertThat(failure.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(failure.code()).isEqualTo("connection_error");
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).startsWith("node node-a: connection failed");
    }

    @Test
    void garbageInASuccessfulAnswerIsABadResponse() {
        model.respondWith(request -> FakeResponse.raw(200, "<<not json>>"));

        ModelCallException failure = callFails(ask(model.baseUrl(), "hi"));

        assertThat(failure.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(failure.code()).isEqualTo("bad_output");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("<<not json>>");
    }

    @Test
    void anAnswerWithoutChoicesIsABadResponse() {
        model.respondWith(request -> FakeResponse.raw(200, "{\"choices\": [], \"error\": {\"message\": \"overloaded\"}}"));

        ModelCallException failure = callFails(ask(model.baseUrl(), "hi"));

        assertThat(failure.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(failure.getMessage()).contains("no choices[0].message").contains("overloaded");
    }

    @Test
    void interruptingTheCallerAbortsAHangingCallAndKeepsTheInterrupt() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        model.respondWith(request -> {
            received.countDown();
            return FakeResponse.hang();
        });
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                CLIENT.complete(ask(node(model.baseUrl(), null), "hi", null, Duration.ofSeconds(30)));
            } catch (Throwable e) {
                outcome.set(e);
            }
            interruptKept.set(Thread.currentThread().isInterrupted());
        });
        assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();

        caller.interrupt();

        assertThat(caller.join(Duration.ofSeconds(2))).as("the call ended").isTrue();
        assertThat(outcome.get()).isInstanceOfSatisfying(ModelCallException.class, failure -> {
            assertThat(failure.kind()).isEqualTo(Kind.CONNECTION);
            assertThat(failure).hasMessage("call aborted");
        });
        assertThat(interruptKept).isTrue();
    }

    @Test
    void anUpstreamMessageQuotingTheApiKeyIsRedacted() {
        String apiKey = "sk-secret-never-show";
        model.respondWith(request -> FakeResponse.error(401, "refused " + request.header("Authorization")));

        ModelCallException failure = callFails(ask(node(model.baseUrl(), apiKey), "hi", null, ModelRequests.TIMEOUT));

        assertThat(failure).hasMessage("node node-a answered HTTP 401: refused Bearer ***");
    }

    private static ModelCallException callFails(ModelRequest request) {
        ModelCallException failure = catchThrowableOfType(ModelCallException.class, () -> CLIENT.complete(request));
        assertThat(failure).as("the call should have failed").isNotNull();
        return failure;
    }
}
