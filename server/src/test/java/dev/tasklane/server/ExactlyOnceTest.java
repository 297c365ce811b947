package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskRunner;
import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.handler.ChatHandler;
import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.lane.Router;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.postgres.PostgresStorage;
import dev.tasklane.providers.OpenAiCompatibleClient;
import dev.tasklane.redis.RedisLaneQueue;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestPostgres.TestDatabase;
import dev.tasklane.testing.TestRedis;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Two workers compete for one lane's 500 chat tasks, as two sets of threads in
 * this JVM and as two separate processes: every task's model call is made
 * exactly once, and every task succeeds exactly once.
 */
class ExactlyOnceTest {
    private static final int TASKS = 500;

    private FakeOpenAiServer model;
    private TestDatabase database;
    private String prefix;
    private PostgresStorage storage;
    private RedisLaneQueue queue;
    private LaneConfig lane;
    private SubmitService submit;

    @BeforeEach
    void setUp() {
        // a little latency so that both workers hold calls in flight at once
        model = FakeOpenAiServer.start().respondWith(r -> FakeResponse.delayed(Duration.ofMillis(20),
                FakeResponse.ok("answer to " + r.lastUserMessage())));
        database = TestPostgres.newDatabase("exactlyonce");
        prefix = TestRedis.newPrefix("exactlyonce");
        storage = PostgresStorage.open(database.jdbcUrl(), null, null, 8);
        storage.migrate();
        queue = new RedisLaneQueue(TestRedis.url(), prefix);
        lane = new LaneConfig("llm", List.of("*"), "openai", 32, Duration.ofSeconds(30), Duration.ofSeconds(60), 3,
                List.of(new NodeConfig("fake", model.baseUrl(), null, 1, 0)));
        submit = new SubmitService(storage.tasks(), storage.conversations(), queue, new Router(List.of(lane)),
                Set.of("chat"), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        queue.close();
        storage.close();
        RunningServer.deleteKeys(prefix);
        database.drop();
        model.close();
    }

    @Test
    void twoWorkerThreadSetsRunEachCallOnce() {
        queue.createLane(lane.name());
        try (Workers first = workers("thread-worker-1"); Workers second = workers("thread-worker-2")) {
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
        queue.createLane(lane.name());
        List<Process> processes = new ArrayList<>();
        try {
            List<File> logs = new ArrayList<>();
            for (String id : List.of("process-worker-1", "process-worker-2")) {
                File log = new File("target/" + id + ".log");
                logs.add(log);
                processes.add(startWorkerProcess(id, config, log));
            }
            for (File log : logs) {
                awaitLine(log, "workers started for lanes");
            }
            submitAll();
            awaitAllSucceeded();
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor();
            }
        }
        assertExactlyOnce(Set.of("process-worker-1", "process-worker-2"));
    }

    private Workers workers(String id) {
        HandlerRegistry handlers = new HandlerRegistry(List.of(new ChatHandler(storage.conversations(),
                Map.of("openai", new OpenAiCompatibleClient(Duration.ofSeconds(5))))));
        TaskRunner runner = new TaskRunner(storage.tasks(), storage.events(), queue, handlers, id, Clock.systemUTC());
        return new Workers(List.of(lane), queue, runner, id, Duration.ofSeconds(10));
    }

    private Process startWorkerProcess(String id, Path config, File log) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TasklaneMain.class.getName(), "worker", "--port", "0", "--lanes", "llm");
        Map<String, String> env = builder.environment();
        env.putAll(new HashMap<>(Map.of(
                "TASKLANE_DATABASE_URL", database.jdbcUrl(),
                "TASKLANE_REDIS_URL", TestRedis.url(),
                "TASKLANE_REDIS_PREFIX", prefix,
                "TASKLANE_CONFIG", config.toString(),
                "TASKLANE_WORKER_ID", id)));
        return builder.redirectErrorStream(true).redirectOutput(log).start();
    }

    /** Waits until a worker process has logged that its lane workers run. */
    private static void awaitLine(File log, String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (log.exists() && java.nio.file.Files.readString(log.toPath()).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(log + " never said: " + text);
    }

    private void submitAll() {
        for (int i = 0; i < TASKS; i++) {
            submit.submitTask(new TaskSubmit(Tenants.DEFAULT, "chat", "any-model", null,
                    JsonNodeFactory.instance.objectNode().put("prompt", "task " + i), Priority.NORMAL, null, null,
                    null, null));
        }
    }

    private void awaitAllSucceeded() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        long done = 0;
        while (Instant.now().isBefore(deadline)) {
            done = count("SELECT count(*) FROM tasks WHERE status = 'succeeded'");
            if (done == TASKS) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("only " + done + " of " + TASKS + " tasks succeeded in time");
    }

    private void assertExactlyOnce(Set<String> workerIds) {
        Map<String, Integer> calls = model.callsByLastUserMessage();
        assertThat(calls).hasSize(TASKS);
        assertThat(calls.values()).allMatch(n -> n == 1);
        assertThat(model.callCount()).isEqualTo(TASKS);
        assertThat(count("SELECT count(*) FROM tasks WHERE attempt <> 1")).isZero();
        assertThat(count("SELECT count(*) FROM task_events WHERE message LIKE 'succeeded%'")).isEqualTo(TASKS);
        for (String id : workerIds) {
            assertThat(count("SELECT count(*) FROM tasks WHERE worker_id = '" + id + "'")).as(id).isPositive();
        }
        assertThat(count("SELECT count(*) FROM tasks WHERE response_text = 'answer to ' || (input->>'prompt')"))
                .isEqualTo(TASKS);
    }

    private long count(String sql) {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
