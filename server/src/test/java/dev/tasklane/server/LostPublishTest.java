package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.core.port.Delivery;
import dev.tasklane.core.port.LaneQueue;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Guarantee: a crash between the commit and the XADD delays a task but never loses it. */
class LostPublishTest {

    @Test
    void aTaskWhoseIdNeverReachedRedisStillRuns() throws InterruptedException {
        try (EngineFixture engine = new EngineFixture("lostpublish",
                EngineFixture.lane("http://127.0.0.1:9/v1", 4, Duration.ofSeconds(30), 3, Duration.ofSeconds(30)),
                null, null)) {
            CountDownLatch dropped = new CountDownLatch(1);
            // the process "dies" right after the commit: the XADD never happens
            LaneQueue crashing = Intercepted.port(LaneQueue.class, engine.queue, "publish", args -> {
                dropped.countDown();
                throw new IllegalStateException("process died before XADD");
            });
            SubmitService submit = engine.submitService(crashing);
            Task task = submit.submitTask(new TaskSubmit(Tenants.DEFAULT, "noop", null, "llm",
                    JsonNodeFactory.instance.objectNode().put("survived", true), Priority.NORMAL, null, null, null,
                    null)).task();
            // the wake-up is sent after the submit returned
            assertThat(dropped.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(engine.queue.read("llm", "probe", 10, Duration.ZERO)).extracting(Delivery::taskId)
                    .doesNotContain(task.id());

            try (Workers workers = engine.workers("reconciling", Duration.ofSeconds(5))) {
                workers.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded' AND id = '" + task.id() + "'",
                        1, Duration.ofSeconds(20));
            }
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE (output->>'survived')::boolean")).isEqualTo(1);
        }
    }
}
