package dev.tasklane.providers;

import static dev.tasklane.providers.ModelRequests.ask;
import static dev.tasklane.providers.ModelRequests.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import dev.tasklane.core.port.ModelCallException;
import dev.tasklane.core.port.ModelResponse;
import dev.tasklane.core.port.ModelCallException.Kind;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake's own promises, which the tests of other modules rely on. */
class FakeOpenAiServerTest {

    private static final OpenAiCompatibleClient CLIENT = new OpenAiCompatibleClient(Duration.ofSeconds(2));

    private final FakeOpenAiServer model = FakeOpenAiServer.start();

    @AfterEach
    void stopModel() {
        model.close();
    }

    @Test
    void listensOnLoopbackAndCountsCallsPerUserMessage() throws Exception {
        CLIENT.complete(ask(model.baseUrl(), "one"));
        CLIENT.complete(ask(model.baseUrl(), "two"));
        CLIENT.complete(ask(model.baseUrl(), "two"));

        assertThat(model.baseUrl()).isEqualTo("http://127.0.0.1:" + model.port() + "/v1");
        assertThat(model.callCount()).isEqualTo(3);
        assertThat(model.callsByLastUserMessage()).containsOnly(
                entry("one", 1), entry("two", 2));
    }

    /** The JDK's server would silently close every idle connection beyond 200; a pooled client would reuse them. */
    @Test
    void keepsHundredsOfIdleKeepAliveConnectionsOpenForTheNextCalls() throws Exception {
        int calls = 250;
        model.respondWith(request -> FakeResponse.delayed(Duration.ofMillis(500),
                FakeResponse.ok("done " + request.lastUserMessage())));
        try (OpenAiCompatibleClient client = new OpenAiCompatibleClient(Duration.ofSeconds(2))) {
            for (String wave : new String[] {"first", "second"}) {
                List<Future<ModelResponse>> answers = new ArrayList<>();
                try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < calls; i++) {
                        String prompt = wave + "-" + i;
                        answers.add(callers.submit(() -> client.complete(ask(model.baseUrl(), prompt))));
                    }
                }
                for (int i = 0; i < calls; i++) {
                    assertThat(answers.get(i).get().text()).isEqualTo("done " + wave + "-" + i);
                }
            }
        }
        assertThat(model.callCount()).isEqualTo(2 * calls);
    }

    @Test
    void answersOtherPathsWith404ByDefault() throws Exception {
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(HttpRequest.newBuilder(URI.create(model.baseUrl() + "/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no such endpoint: /v1/models");
        assertThat(model.requests().getFirst().method()).isEqualTo("GET");
    }

    @Test
    void aFailingBehaviourBecomesA500() {
        model.respondWith(request -> {
            throw new IllegalStateException("scripted failure");
        });

        ModelCallException failure = catchThrowableOfType(ModelCallException.class,
                () -> CLIENT.complete(ask(model.baseUrl(), "hi")));

        assertThat(failure.httpStatus()).isEqualTo(500);
        assertThat(failure.getMessage()).contains("scripted failure");
    }

    @Test
    void closingReleasesHangingCalls() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        model.respondWith(request -> {
            received.countDown();
            return FakeResponse.delayed(Duration.ofMillis(10), FakeResponse.hang());
        });
        CompletableFuture<ModelCallException> call = CompletableFuture.supplyAsync(() -> catchThrowableOfType(
                ModelCallException.class,
                () -> CLIENT.complete(ask(node(model.baseUrl(), null), "hi", null, Duration.ofSeconds(30)))));
        assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();

        model.close();

        assertThat(call.get(2, TimeUnit.SECONDS).kind()).isEqualTo(Kind.CONNECTION);
    }
}
