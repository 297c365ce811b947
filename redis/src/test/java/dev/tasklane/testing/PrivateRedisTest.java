package dev.tasklane.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

/** Lives in the redis module, which has a Redis client; test-support itself has none. */
class PrivateRedisTest {

    @Test
    void flushStopAndStartActOnThisRedisAlone() {
        RedisClient client = RedisClient.create();
        try (PrivateRedis redis = PrivateRedis.startOnFreePort()) {
            assertThat(redis.url()).isNotEqualTo(TestRedis.url());
            try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(redis.url()))) {
                connection.sync().set("a", "1");
                connection.sync().select(1);
                connection.sync().set("b", "2");
                redis.flushAll();
                assertThat(connection.sync().dbsize()).isZero();
                connection.sync().select(0);
                assertThat(connection.sync().dbsize()).isZero();
                connection.sync().set("c", "3");
            }

            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> client.connect(RedisURI.create(redis.url())))
                    .isInstanceOf(RedisConnectionException.class);

            redis.start();
            assertThat(redis.isRunning()).isTrue();
            try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(redis.url()))) {
                assertThat(connection.sync().dbsize()).isZero();
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void closeStopsIt() {
        RedisClient client = RedisClient.create();
        try {
            PrivateRedis redis = PrivateRedis.startOnFreePort();
            redis.close();

            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> client.connect(RedisURI.create(redis.url())))
                    .isInstanceOf(RedisConnectionException.class);
        } finally {
            client.shutdown();
        }
    }
}
