package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.model.Task;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Guarantee: timeouts end a hung call; 5xx are retried; a 429's Retry-After is waited out. */
class ModelFailureTest {

    @Test
    void hangsTimeOutFlakyServersSucceedOnTheThirdAttemptAndRetryAfterIsHonoured() {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        List<Instant> limitedCalls = new CopyOnWriteArrayList<>();
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             EngineFixture engine = new EngineFixture("modelfailure",
                     EngineFixture.lane(model.baseUrl(), 8, Duration.ofSeconds(30), 3, Duration.ofSeconds(1)),
                     null, null)) {
            model.respondWith(r -> {
                String prompt = r.lastUserMessage();
                int call = calls.computeIfAbsent(prompt, k -> new AtomicInteger()).incrementAndGet();
                return switch (prompt) {
                    case "hang" -> FakeResponse.hang();
                    case "flaky" -> call <= 2 ? FakeResponse.error(500, "overloaded") : FakeResponse.ok("third time");
                    case "limited" -> {
                        limitedCalls.add(Instant.now());
                        yield call == 1 ? FakeResponse.error(429, "slow down").withHeader("Retry-After", "1")
                                : FakeResponse.ok("after waiting");
                    }
                    default -> FakeResponse.ok("?");
                };
            });
            Task hang = engine.submit("chat", JsonNodeFactory.instance.objectNode().put("prompt", "hang"));
            Task flaky = engine.submit("chat", JsonNodeFactory.instance.objectNode().put("prompt", "flaky"));
            Task limited = engine.submit("chat", JsonNodeFactory.instance.objectNode().put("prompt", "limited"));
            try (Workers workers = engine.workers("failures", Duration.ofSeconds(5))) {
                workers.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status IN ('succeeded', 'failed')", 3,
                        Duration.ofSeconds(30));
            }
            assertThat(status(engine, hang)).isEqualTo("failed/timeout/3");
            assertThat(calls.get("hang").get()).isEqualTo(3);
            assertThat(status(engine, flaky)).isEqualTo("succeeded/null/3");
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE task_id = '" + flaky.id()
                    + "' AND message LIKE '%upstream_error%back-off%'")).isEqualTo(2);
            assertThat(status(engine, limited)).isEqualTo("succeeded/null/2");
            assertThat(Duration.between(limitedCalls.get(0), limitedCalls.get(1))).isGreaterThanOrEqualTo(
                    Duration.ofSeconds(1));
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE task_id = '" + limited.id()
                    + "' AND message LIKE '%rate_limited%in 1000 ms (the model''s Retry-After)%'")).isEqualTo(1);
        }
    }

    private static String status(EngineFixture engine, Task task) {
        Task now = engine.storage.tasks().findById(task.id()).orElseThrow();
        return now.status().wire() + "/" + (now.error() == null ? null : now.error().code()) + "/" + now.attempt();
    }
}
