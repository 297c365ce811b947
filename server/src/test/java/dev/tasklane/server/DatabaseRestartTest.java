package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.Workers;
import dev.tasklane.testing.PrivatePostgres;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Guarantee: workers ride out a PostgreSQL restart; nothing is lost. */
class DatabaseRestartTest {
    private static final int TASKS = 100;

    @Test
    void everyTaskSucceedsAcrossADatabaseRestart() {
        try (PrivatePostgres postgres = PrivatePostgres.create();
             EngineFixture engine = new EngineFixture("dbrestart",
                     EngineFixture.lane("http://127.0.0.1:9/v1", 10, Duration.ofSeconds(2), 5, Duration.ofSeconds(30)),
                     postgres.jdbcUrl(), null)) {
            for (int i = 0; i < TASKS; i++) {
                engine.submit("sleep", JsonNodeFactory.instance.objectNode().put("ms", 200).put("i", i));
            }
            try (Workers workers = engine.workers("rider", Duration.ofSeconds(5))) {
                workers.start();
                EngineFixture.await(() -> engine.count("SELECT count(*) FROM tasks WHERE status = 'succeeded'") >= 10,
                        Duration.ofSeconds(20), () -> "the run never got going");
                postgres.stop();
                postgres.start();
                engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded'", TASKS,
                        Duration.ofSeconds(90));
            }
            assertThat(engine.count("SELECT count(*) FROM tasks WHERE status <> 'succeeded'")).isZero();
        }
    }
}
