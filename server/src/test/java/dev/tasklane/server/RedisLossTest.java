package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.Workers;
import dev.tasklane.testing.PrivateRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Guarantee: Redis losing every stream mid-run delays tasks and loses none. */
class RedisLossTest {
    private static final int TASKS = 200;

    @Test
    void everyTaskSucceedsAfterRedisIsFlushedMidRun() {
        try (PrivateRedis redis = PrivateRedis.startOnFreePort();
             EngineFixture engine = new EngineFixture("redisloss",
                     EngineFixture.lane("http://127.0.0.1:9/v1", 20, Duration.ofSeconds(2), 3, Duration.ofSeconds(30)),
                     null, redis.url())) {
            for (int i = 0; i < TASKS; i++) {
                engine.submit("sleep", JsonNodeFactory.instance.objectNode().put("ms", 100).put("i", i));
            }
            try (Workers workers = engine.workers("survivor", Duration.ofSeconds(5))) {
                workers.start();
                EngineFixture.await(() -> engine.count("SELECT count(*) FROM tasks WHERE status = 'succeeded'") >= 20,
                        Duration.ofSeconds(20), () -> "the run never got going");
                redis.flushAll();
                long notDone = engine.count("SELECT count(*) FROM tasks WHERE status IN ('queued', 'running')");
                assertThat(notDone).as("tasks queued or running when Redis lost its data").isGreaterThan(100);
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded'", TASKS,
                        Duration.ofSeconds(60));
            }
            assertThat(engine.count("SELECT count(*) FROM task_events WHERE message LIKE 'attempt % succeeded%'"))
                    .isEqualTo(TASKS);
        }
    }
}
