package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.core.port.LaneQueue;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task committed while its lane's worker in the same process is idle starts there
 * without a stream entry; a busy or stopped worker takes nothing, and the task goes
 * through the stream as before.
 */
class LocalStartTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Test
    void aTaskCommittedWhileItsWorkerHereIsIdleRunsWithoutAStreamEntry() {
        try (EngineFixture engine = fixture("localidle", 2);
             Workers workers = engine.workers("local", Duration.ofSeconds(5))) {
            Set<UUID> published = ConcurrentHashMap.newKeySet();
            SubmitService submit = engine.submitServiceStartingLocally(recording(engine, published));
            workers.start();
            // the worker lends its slots once its reader waits on the empty streams
            Task local = null;
            Instant deadline = Instant.now().plus(WITHIN);
            while (local == null && Instant.now().isBefore(deadline)) {
                Task task = submit(submit, "noop", JsonNodeFactory.instance.objectNode().put("n", 1));
                awaitSucceeded(engine, task);
                if (!published.contains(task.id())) {
                    local = task;
                }
            }
            assertThat(local).as("a task started on the idle worker").isNotNull();
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE task_id = '" + local.id()
                    + "' AND message = 'attempt 1 claimed by worker local'")).isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM dead_letters")).isZero();
        }
    }

    @Test
    void aTaskCommittedWhileEverySlotIsTakenGoesThroughTheStream() {
        try (EngineFixture engine = fixture("localbusy", 1);
             Workers workers = engine.workers("busy", Duration.ofSeconds(5))) {
            Set<UUID> published = ConcurrentHashMap.newKeySet();
            SubmitService submit = engine.submitServiceStartingLocally(recording(engine, published));
            workers.start();
            Task sleeping = submit(submit, "sleep", JsonNodeFactory.instance.objectNode().put("ms", 1500));
            engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'running' AND id = '" + sleeping.id() + "'",
                    1, WITHIN);
            Task next = submit(submit, "noop", JsonNodeFactory.instance.objectNode().put("n", 2));
            awaitSucceeded(engine, next);
            assertThat(published).contains(next.id());
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE id = '" + next.id()
                    + "' AND started_at >= (SELECT started_at + interval '1500 ms' FROM tasks WHERE id = '"
                    + sleeping.id() + "')"))
                    .as("the second task waited for the only slot").isEqualTo(1);
        }
    }

    @Test
    void aTaskCommittedAfterTheWorkersStoppedStaysQueuedForTheStream() {
        try (EngineFixture engine = fixture("localstopped", 2)) {
            Set<UUID> published = ConcurrentHashMap.newKeySet();
            SubmitService submit = engine.submitServiceStartingLocally(recording(engine, published));
            try (Workers workers = engine.workers("stopped", Duration.ofSeconds(5))) {
                workers.start();
                awaitSucceeded(engine, submit(submit, "noop", JsonNodeFactory.instance.objectNode()));
            }
            Task after = submit(submit, "noop", JsonNodeFactory.instance.objectNode());
            // the wake-up goes out in the background, after the submit returned
            EngineFixture.await(() -> published.contains(after.id()), WITHIN, () -> "no publish of " + after.id());
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'queued' AND id = '" + after.id() + "'"))
                    .isEqualTo(1);
        }
    }

    private static EngineFixture fixture(String hint, int concurrency) {
        return new EngineFixture(hint, EngineFixture.lane("http://127.0.0.1:9/v1", concurrency,
                Duration.ofSeconds(30), 3, Duration.ofSeconds(30)), null, null);
    }

    /** The fixture's queue, keeping the id of every task published through it. */
    private static LaneQueue recording(EngineFixture engine, Set<UUID> published) {
        return (LaneQueue) Proxy.newProxyInstance(LocalStartTest.class.getClassLoader(),
                new Class<?>[] {LaneQueue.class}, (proxy, method, args) -> {
                    if (method.getName().equals("publish")) {
                        @SuppressWarnings("unchecked")
                        List<UUID> ids = (List<UUID>) args[2];
                        published.addAll(ids);
                    }
                    return method.invoke(engine.queue, args);
                });
    }

    private static Task submit(SubmitService submit, String type, ObjectNode input) {
        return submit.submitTask(new TaskSubmit(Tenants.DEFAULT, type, null, "llm", input, Priority.NORMAL, null, null,
                null, null)).task();
    }

    private static void awaitSucceeded(EngineFixture engine, Task task) {
        engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded' AND id = '" + task.id() + "'", 1,
                WITHIN);
    }
}
