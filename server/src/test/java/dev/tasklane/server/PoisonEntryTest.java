package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.engine.Workers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** Guarantee: entries that cannot be parsed or name no task are dead-lettered and acknowledged; the lane flows on. */
class PoisonEntryTest {

    @Test
    void garbageIsDeadLetteredAndTheLaneKeepsFlowing() {
        try (EngineFixture engine = new EngineFixture("poison",
                EngineFixture.lane("http://127.0.0.1:9/v1", 4, Duration.ofSeconds(30), 3, Duration.ofSeconds(30)),
                null, null)) {
            String stream = engine.prefix + ":{llm}:normal";
            UUID nobody = UUID.randomUUID();
            RedisClient client = RedisClient.create(engine.redisUrl);
            try (StatefulRedisConnection<String, String> redis = client.connect()) {
                for (int i = 0; i < 10; i++) {
                    engine.submit("noop", JsonNodeFactory.instance.objectNode().put("i", i));
                    if (i == 2) {
                        redis.sync().xadd(stream, Map.of("colour", "red"));
                    } else if (i == 5) {
                        redis.sync().xadd(stream, Map.of("id", "not-a-uuid"));
                    } else if (i == 7) {
                        redis.sync().xadd(stream, Map.of("id", nobody.toString()));
                    }
                }
                try (Workers workers = engine.workers("poison-eater", Duration.ofSeconds(5))) {
                    workers.start();
                    engine.awaitCount("SELECT count(*) FROM tasks WHERE status = 'succeeded'", 10,
                            Duration.ofSeconds(20));
                    engine.awaitCount("SELECT count(*) FROM dead_letters", 3, Duration.ofSeconds(10));
                }
                assertThat(redis.sync().xpending(stream, "tasklane").getCount()).isZero();
                assertThat(redis.sync().xlen(stream)).isZero();
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            assertThat(engine.count("SELECT count(*) FROM dead_letters WHERE task_id IS NULL"
                    + " AND reason = 'the entry names no task id'")).isEqualTo(2);
            assertThat(engine.count("SELECT count(*) FROM dead_letters WHERE task_id = '" + nobody
                    + "' AND reason LIKE '%does not exist'")).isEqualTo(1);
            assertThat(engine.count("SELECT count(*) FROM dead_letters WHERE payload LIKE '%colour=red%'"))
                    .isEqualTo(1);
        }
    }
}
