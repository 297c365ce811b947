package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.model.Task;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** A lane's concurrency bound, and a stop that lets calls in flight finish. */
class LaneWorkerTest {

    @Test
    void aLanesConcurrencyBoundsItsCallsInFlight() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             EngineFixture engine = new EngineFixture("concurrency", model.baseUrl(), 3)) {
            model.respondWith(r -> {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
                return FakeResponse.ok("ok");
            });
            for (int i = 0; i < 30; i++) {
                engine.submit("chat", JsonNodeFactory.instance.objectNode().put("prompt", "call " + i));
            }
            try (Workers workers = engine.workers("bounded", Duration.ofSeconds(10))) {
                workers.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded'", 30, Duration.ofSeconds(30));
            }
            assertThat(most.get()).isEqualTo(3);
            assertThat(model.callCount()).isEqualTo(30);
        }
    }

    @Test
    void stoppingLetsCallsInFlightFinishAndReadsNoMore() throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             EngineFixture engine = new EngineFixture("shutdown", model.baseUrl(), 2)) {
            Workers workers = engine.workers("stopping", Duration.ofSeconds(20));
            workers.start();
            Task first = engine.submit("sleep", JsonNodeFactory.instance.objectNode().put("ms", 1500));
            Task second = engine.submit("sleep", JsonNodeFactory.instance.objectNode().put("ms", 1500));
            engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'running'", 2, Duration.ofSeconds(10));
            Task third = engine.submit("noop", JsonNodeFactory.instance.objectNode());

            workers.close();

            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'succeeded' AND id IN ('"
                    + first.id() + "', '" + second.id() + "')")).isEqualTo(2);
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'queued' AND id = '"
                    + third.id() + "'")).isEqualTo(1);
        }
    }
}
