package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.LaneWorker;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.LaneQueue;
import dev.tasklane.core.port.TaskStore;
import dev.tasklane.testing.FakeOpenAiServer;
import dev.tasklane.testing.FakeResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Connecting before reading, a lane's concurrency bound, slots freed as calls return, and a
 * stop that lets work in flight finish.
 */
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
    void connectedWorkersOpenTheirReaderButTakeNothingUntilStarted() throws Exception {
        AtomicInteger connects = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        try (EngineFixture engine = new EngineFixture("connect", "http://127.0.0.1:9/v1", 1)) {
            Task task = engine.submit("noop", JsonNodeFactory.instance.objectNode().put("n", 1));
            LaneQueue watched = Intercepted.port(LaneQueue.class, Intercepted.port(LaneQueue.class, engine.queue,
                    "connectReader", args -> connects.incrementAndGet()), "read", args -> reads.incrementAndGet());
            try (Workers workers = engine.workers("connecting", Duration.ofSeconds(10), engine.storage.tasks(),
                    watched)) {
                workers.connect();
                assertThat(connects).hasValue(1);
                assertThat(reads).hasValue(0);
                assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'queued' AND id = '" + task.id()
                        + "'")).isEqualTo(1);

                workers.start();

                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded' AND id = '" + task.id()
                        + "'", 1, Duration.ofSeconds(10));
                assertThat(connects).as("start does not connect again").hasValue(1);
            }
        }
    }

    @Test
    void aReadTakesAtMostOneReadsWorthHoweverManySlotsAreFree() throws Exception {
        int tasks = 2 * LaneWorker.MOST_PER_READ + 50;
        List<Integer> asked = new CopyOnWriteArrayList<>();
        try (EngineFixture engine = new EngineFixture("readsize", "http://127.0.0.1:9/v1", tasks)) {
            for (int i = 0; i < tasks; i++) {
                engine.submit("noop", JsonNodeFactory.instance.objectNode().put("n", i));
            }
            LaneQueue watched = Intercepted.port(LaneQueue.class, engine.queue, "read",
                    args -> asked.add((Integer) args[2]));
            try (Workers workers = engine.workers("reading", Duration.ofSeconds(10), engine.storage.tasks(),
                    watched)) {
                workers.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded'", tasks,
                        Duration.ofSeconds(30));
            }
            assertThat(asked).as("entries asked for by each read").isNotEmpty()
                    .allSatisfy(max -> assertThat(max).isBetween(1, LaneWorker.MOST_PER_READ));
            assertThat(asked.getFirst()).as("the first read, with every slot free").isEqualTo(LaneWorker.MOST_PER_READ);
        }
    }

    @Test
    void aTakeOverOfIdleEntriesMayFillEveryFreeSlot() throws Exception {
        int slots = 2 * LaneWorker.MOST_PER_READ + 50;
        CompletableFuture<Integer> firstReclaim = new CompletableFuture<>();
        try (EngineFixture engine = new EngineFixture("reclaimsize", "http://127.0.0.1:9/v1", slots)) {
            LaneQueue watched = Intercepted.port(LaneQueue.class, engine.queue, "reclaim",
                    args -> firstReclaim.complete((Integer) args[3]));
            try (Workers workers = engine.workers("reclaiming", Duration.ofSeconds(10), engine.storage.tasks(),
                    watched)) {
                workers.start();
                assertThat(firstReclaim.get(10, TimeUnit.SECONDS)).as("entries the first take-over may claim")
                        .isEqualTo(slots);
            }
        }
    }

    @Test
    void aSlotTakesTheNextTaskWhileTheLastOutcomeIsStillBeingWritten() throws Exception {
        CountDownLatch firstWriteHeld = new CountDownLatch(1);
        CountDownLatch releaseWrite = new CountDownLatch(1);
        try (EngineFixture engine = new EngineFixture("slot", "http://127.0.0.1:9/v1", 1)) {
            Task first = engine.submit("noop", JsonNodeFactory.instance.objectNode().put("n", 1));
            // the first result write waits until the test lets it go
            TaskStore slowResults = Intercepted.port(TaskStore.class, engine.storage.tasks(), "complete", args -> {
                if (args[0].equals(first.id())) {
                    firstWriteHeld.countDown();
                    assertThat(releaseWrite.await(30, TimeUnit.SECONDS)).isTrue();
                }
            });
            Workers workers = engine.workers("overlapping", Duration.ofSeconds(20), slowResults);
            workers.start();
            assertThat(firstWriteHeld.await(10, TimeUnit.SECONDS)).isTrue();
            Task second = engine.submit("noop", JsonNodeFactory.instance.objectNode().put("n", 2));

            engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded' AND id = '" + second.id() + "'",
                    1, Duration.ofSeconds(10));
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'running' AND id = '" + first.id()
                    + "'")).as("the first task's result is still held back").isEqualTo(1);

            Thread closing = Thread.ofVirtual().start(workers::close);
            assertThat(closing.join(Duration.ofMillis(300))).as("close waits for the held write").isFalse();
            releaseWrite.countDown();
            closing.join();
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'succeeded'")).isEqualTo(2);
        }
    }

    @Test
    void aClaimThatCannotBeAskedForLeavesItsEntryToBeTakenOver() throws Exception {
        AtomicInteger claims = new AtomicInteger();
        try (EngineFixture engine = new EngineFixture("claimfails",
                EngineFixture.lane("http://127.0.0.1:9/v1", 2, Duration.ofSeconds(1), 3, Duration.ofSeconds(30)),
                null, null)) {
            // the first claim fails in the caller's thread (the lane's reader) before it reaches the database
            TaskStore failingOnce = Intercepted.port(TaskStore.class, engine.storage.tasks(), "claim", args -> {
                if (claims.incrementAndGet() == 1) {
                    throw new IllegalStateException("the claim could not be sent");
                }
            });
            Task task = engine.submit("noop", JsonNodeFactory.instance.objectNode());
            try (Workers workers = engine.workers("claimfails", Duration.ofSeconds(10), failingOnce)) {
                workers.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded' AND id = '" + task.id()
                        + "'", 1, Duration.ofSeconds(15));
            }
            assertThat(claims.get()).as("asked again once its entry was taken over").isEqualTo(2);
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE task_id = '" + task.id()
                    + "' AND message LIKE '%runs a stream entry taken over%'")).isEqualTo(1);
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

    @Test
    void tasksStillRunningAfterTheGraceAreHandedBackAtOnce() {
        try (FakeOpenAiServer model = FakeOpenAiServer.start();
             EngineFixture engine = new EngineFixture("handback",
                     EngineFixture.lane(model.baseUrl(), 2, Duration.ofSeconds(60), 3, Duration.ofSeconds(120)),
                     null, null)) {
            Workers stopping = engine.workers("stopping", Duration.ofMillis(300));
            stopping.start();
            Task longSleep = engine.submit("sleep", JsonNodeFactory.instance.objectNode().put("ms", 60_000));
            engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'running'", 1, Duration.ofSeconds(10));

            stopping.close();

            // queued again at once, not after the 60 s lease
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status = 'queued' AND lease_until IS NULL"
                    + " AND id = '" + longSleep.id() + "'")).isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE message LIKE '%handed back%'"))
                    .isEqualTo(1);
            try (Workers next = engine.workers("next", Duration.ofSeconds(1))) {
                next.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'running' AND worker_id = 'next'", 1,
                        Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void aLongCallKeepsItsLeaseWhileItsWorkerLives() {
        try (FakeOpenAiServer model = FakeOpenAiServer.start().respondWith(r -> FakeResponse.delayed(
                Duration.ofMillis(3500), FakeResponse.ok("slow answer")));
             EngineFixture engine = new EngineFixture("renewal",
                     EngineFixture.lane(model.baseUrl(), 4, Duration.ofSeconds(1), 3, Duration.ofSeconds(30)),
                     null, null)) {
            try (Workers first = engine.workers("holder", Duration.ofSeconds(10));
                 Workers second = engine.workers("rival", Duration.ofSeconds(10))) {
                first.start();
                Task slow = engine.submit("chat", JsonNodeFactory.instance.objectNode().put("prompt", "think"));
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'running'", 1, Duration.ofSeconds(10));
                second.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded' AND id = '" + slow.id() + "'",
                        1, Duration.ofSeconds(20));
            }
            // a 3.5 s call on a 1 s lease: renewed, never taken over, called once
            assertThat(model.callCount()).isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE attempt = 1 AND worker_id = 'holder'"))
                    .isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE message LIKE 'lease of%'")).isZero();
        }
    }
}
