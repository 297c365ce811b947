package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.Workers;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Guarantee: a worker killed with calls in flight loses nothing; each task completes once, with at most two calls. */
class WorkerCrashTest {
    private static final int TASKS = 30;

    @Test
    void aKilledWorkersTasksAreFinishedByAnother() throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start().respondWith(r -> FakeResponse.delayed(
                Duration.ofMillis(1500), FakeResponse.ok("answer to " + r.lastUserMessage())));
             EngineFixture engine = new EngineFixture("workercrash",
                     EngineFixture.lane(model.baseUrl(), 40, Duration.ofSeconds(2), 3, Duration.ofSeconds(30)),
                     null, null)) {
            Path lanes = RunningServer.writeConfig("""
                    lanes:
                      llm:
                        models: ["*"]
                        concurrency: 40
                        lease_seconds: 2
                        nodes: [{name: fake, url: "%s"}]
                    """.formatted(model.baseUrl()));
            WorkerProcess doomed = WorkerProcess.start("doomed-worker", engine, lanes, Map.of());
            for (int i = 0; i < TASKS; i++) {
                engine.submit("chat", JsonNodeFactory.instance.objectNode().put("prompt", "task " + i));
            }
            EngineFixture.await(() -> model.callCount() >= 20, Duration.ofSeconds(30),
                    () -> "only " + model.callCount() + " calls in flight");
            doomed.kill();
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'running'")).isGreaterThanOrEqualTo(20);

            try (Workers successor = engine.workers("successor", Duration.ofSeconds(10))) {
                successor.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded'", TASKS,
                        Duration.ofSeconds(60));
            }
            assertThat(model.callsByLastUserMessage()).hasSize(TASKS);
            assertThat(model.callsByLastUserMessage().values()).allMatch(calls -> calls <= 2);
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE message LIKE 'attempt % succeeded%'"))
                    .isEqualTo(TASKS);
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE worker_id = 'successor'")).isEqualTo(TASKS);
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE message LIKE 'lease of attempt%'"))
                    .isGreaterThanOrEqualTo(20);
        }
    }
}
