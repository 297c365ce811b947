package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.Workers;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Two workers compete for one lane's 1,000 chat tasks, as two sets of threads in
 * this JVM and as two separate processes: every task's model call is made
 * exactly once, and every task succeeds exactly once.
 */
class ExactlyOnceTest {
    private static final int TASKS = 1000;

    private FakeOpenAiServer model;
    private EngineFixture engine;

    @BeforeEach
    void setUp() {
        // a little latency so that both workers hold calls in flight at once
        model = FakeOpenAiServer.start().respondWith(r -> FakeResponse.delayed(Duration.ofMillis(20),
                FakeResponse.ok("answer to " + r.lastUserMessage())));
        engine = new EngineFixture("exactlyonce", model.baseUrl(), 32);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        model.close();
    }

    @Test
    void twoWorkerThreadSetsRunEachCallOnce() {
        try (Workers first = engine.workers("thread-worker-1", Duration.ofSeconds(10));
             Workers second = engine.workers("thread-worker-2", Duration.ofSeconds(10))) {
            first.start();
            second.start();
            submitAll();
            awaitAllSucceeded();
        }
        assertExactlyOnce(Set.of("thread-worker-1", "thread-worker-2"));
    }

    @Test
    void twoWorkerProcessesRunEachCallOnce() throws Exception {
        Path config = RunningServer.writeConfig("""
                lanes:
                  llm:
                    models: ["*"]
                    concurrency: 32
                    nodes: [{name: fake, url: "%s"}]
                """.formatted(model.baseUrl()));
        try (WorkerProcess first = WorkerProcess.start("process-worker-1", engine, config, Map.of());
             WorkerProcess second = WorkerProcess.start("process-worker-2", engine, config, Map.of())) {
            submitAll();
            awaitAllSucceeded();
        }
        assertExactlyOnce(Set.of("process-worker-1", "process-worker-2"));
    }

    private void submitAll() {
        for (int i = 0; i < TASKS; i++) {
            engine.submit("chat", JsonNodeFactory.instance.objectNode().put("prompt", "task " + i));
        }
    }

    private void awaitAllSucceeded() {
        engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded'", TASKS, Duration.ofSeconds(90));
    }

    private void assertExactlyOnce(Set<String> workerIds) {
        Map<String, Integer> calls = model.callsByLastUserMessage();
        assertThat(calls).hasSize(TASKS);
        assertThat(calls.values()).allMatch(n -> n == 1);
        assertThat(model.callCount()).isEqualTo(TASKS);
        assertThat(count("SELECT count(*) FROM tasks WHERE attempt <> 1")).isZero();
        assertThat(count("SELECT count(*) FROM task_events WHERE message LIKE 'attempt % succeeded%'")).isEqualTo(TASKS);
        for (String id : workerIds) {
            assertThat(count("SELECT count(*) FROM tasks WHERE worker_id = '" + id + "'")).as(id).isPositive();
        }
        assertThat(count("SELECT count(*) FROM tasks WHERE response_text = 'answer to ' || (input->>'prompt')"))
                .isEqualTo(TASKS);
    }

    private long count(String sql) {
        return engine.count(sql);
    }
}
