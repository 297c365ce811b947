package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.engine.TaskSubmitted;
import dev.tasklane.core.engine.LaneWorker;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.core.port.LaneQueue;
import dev.tasklane.core.port.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task submitted while its lane's worker in the same process is idle is written
 * claimed by it and starts there without a stream entry or a claim of its own; a busy
 * or stopped worker takes nothing, and the task goes through the stream as before; a
 * submission that writes nothing gives the slot it held back.
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
            Task local = awaitLocalStart(engine, submit, published);
            assertThat(local.status()).as("the submit's answer").isEqualTo(TaskStatus.RUNNING);
            assertThat(local.attempt()).isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE task_id = '" + local.id()
                    + "' AND message = 'attempt 1 claimed by worker local'")).as("one claim: the insert").isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE id = '" + local.id()
                    + "' AND attempt = 1 AND started_at = created_at AND attempt_started_at = created_at"))
                    .isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM dead_letters")).isZero();
        }
    }

    @Test
    void aSubmissionThatWritesNothingGivesItsSlotBack() throws InterruptedException {
        Semaphore waits = new Semaphore(0);
        try (EngineFixture engine = fixture("localgiveback", 1);
             Workers workers = engine.workers("giveback", Duration.ofSeconds(5), engine.storage.tasks(),
                     reportingWaits(engine, waits))) {
            Set<UUID> published = ConcurrentHashMap.newKeySet();
            AtomicBoolean failNextInsert = new AtomicBoolean();
            SubmitService submit = engine.submitServiceStartingLocally(recording(engine, published),
                    failingInserts(engine, failNextInsert));
            workers.start();
            // each of these takes the only slot, lent while the reader waits, writes nothing and must
            // give the slot back: else no task could start here, or run at all, afterwards
            for (int i = 0; i < 3; i++) {
                awaitLent(waits);
                failNextInsert.set(true);
                assertThatThrownBy(() -> submit(submit, "noop", JsonNodeFactory.instance.objectNode()))
                        .hasMessageContaining("insert failed on purpose");
            }
            awaitLocalStart(engine, submit, published);
            for (int i = 0; i < 3; i++) {
                awaitLent(waits);
                TaskSubmitted answer = submitWithKey(submit, "same-key");
                assertThat(answer.replayed()).isEqualTo(i > 0);
                awaitSucceeded(engine, answer.task());
            }
            assertThat(awaitLocalStart(engine, submit, published).status()).isEqualTo(TaskStatus.RUNNING);
        }
    }

    @Test
    void aSlotFreedWhileTheReaderWaitsIsLentAgain() throws InterruptedException {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch endWait = new CountDownLatch(1);
        AtomicBoolean holdNextWait = new AtomicBoolean(true);
        try (EngineFixture engine = fixture("locallendagain", 1)) {
            // the reader's first wait on the empty streams lasts until the test ends it
            LaneQueue holding = Intercepted.port(LaneQueue.class, engine.queue, "awaitNew", args -> {
                if (holdNextWait.getAndSet(false)) {
                    waiting.countDown();
                    endWait.await();
                }
            });
            try (Workers workers = engine.workers("lendagain", Duration.ofSeconds(5), engine.storage.tasks(), holding)) {
                Set<UUID> published = ConcurrentHashMap.newKeySet();
                SubmitService submit = engine.submitServiceStartingLocally(recording(engine, published));
                workers.start();
                assertThat(waiting.await(WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

                Task first = submit(submit, "noop", JsonNodeFactory.instance.objectNode().put("n", 1));
                awaitSucceeded(engine, first);
                Task second = submit(submit, "noop", JsonNodeFactory.instance.objectNode().put("n", 2));
                awaitSucceeded(engine, second);

                assertThat(List.of(first.status(), second.status())).as("both claimed by their inserts")
                        .containsOnly(TaskStatus.RUNNING);
                assertThat(published).doesNotContain(first.id(), second.id());
                endWait.countDown();
            }
        }
    }

    @Test
    void everyFreeSlotIsLentWhileTheReaderWaitsNotOnlyOneReadsWorth() throws InterruptedException {
        int slots = LaneWorker.MOST_PER_READ + 20;
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch endWait = new CountDownLatch(1);
        AtomicBoolean holdNextWait = new AtomicBoolean(true);
        try (EngineFixture engine = fixture("locallendall", slots)) {
            LaneQueue holding = Intercepted.port(LaneQueue.class, engine.queue, "awaitNew", args -> {
                if (holdNextWait.getAndSet(false)) {
                    waiting.countDown();
                    endWait.await();
                }
            });
            try (Workers workers = engine.workers("lendall", Duration.ofMillis(200), engine.storage.tasks(),
                    holding)) {
                Set<UUID> published = ConcurrentHashMap.newKeySet();
                SubmitService submit = engine.submitServiceStartingLocally(recording(engine, published));
                workers.start();
                assertThat(waiting.await(WITHIN.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

                // each holds its slot for the rest of the test
                for (int i = 0; i < slots; i++) {
                    Task task = submit(submit, "sleep", JsonNodeFactory.instance.objectNode().put("ms", 60_000));
                    assertThat(task.status()).as("task %d claimed by its insert", i).isEqualTo(TaskStatus.RUNNING);
                }
                assertThat(published).isEmpty();
                endWait.countDown();
            }
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
    @SuppressWarnings("unchecked")
    private static LaneQueue recording(EngineFixture engine, Set<UUID> published) {
        return Intercepted.port(LaneQueue.class, engine.queue, "publish",
                args -> published.addAll((List<UUID>) args[2]));
    }

    /** Submits no-op tasks until one starts on the idle worker here; each is waited for to the end. */
    private static Task awaitLocalStart(EngineFixture engine, SubmitService submit, Set<UUID> published) {
        Instant deadline = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(deadline)) {
            Task task = submit(submit, "noop", JsonNodeFactory.instance.objectNode().put("n", 1));
            awaitSucceeded(engine, task);
            if (!published.contains(task.id())) {
                return task;
            }
        }
        throw new AssertionError("no task started on the idle worker within " + WITHIN);
    }

    /** Waits for the reader to begin a wait on the empty streams, which it does with its free slots lent. */
    private static void awaitLent(Semaphore waits) throws InterruptedException {
        waits.drainPermits();
        assertThat(waits.tryAcquire(WITHIN.toMillis(), TimeUnit.MILLISECONDS)).as("the reader waits").isTrue();
    }

    /** The fixture's queue, releasing {@code waits} as each wait for new entries begins. */
    private static LaneQueue reportingWaits(EngineFixture engine, Semaphore waits) {
        return Intercepted.port(LaneQueue.class, engine.queue, "awaitNew", args -> waits.release());
    }

    /** The fixture's task store, whose next insert fails once {@code failNext} is set. */
    private static TaskStore failingInserts(EngineFixture engine, AtomicBoolean failNext) {
        return Intercepted.port(TaskStore.class, engine.storage.tasks(), "insert", args -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("insert failed on purpose");
            }
        });
    }

    private static TaskSubmitted submitWithKey(SubmitService submit, String key) {
        return submit.submitTask(new TaskSubmit(Tenants.DEFAULT, "noop", null, "llm",
                JsonNodeFactory.instance.objectNode(), Priority.NORMAL, null, null, key, null));
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
