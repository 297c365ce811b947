package dev.tasklane.redis;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The connection that a queue's short commands (all but blocking reads) or a publisher of
 * cancel signals share. Auto-flush is off, so the commands of one call leave in a single
 * write and their replies come back in one round trip. Every call flushes what it queued, so no command waits for another caller's flush
 * (a call may send another caller's queued commands early, which is harmless). For the same
 * reason nothing may use this connection's synchronous API: it would never be flushed.
 */
final class PipelinedConnection implements AutoCloseable {
    private final LazyConnection connection;
    private final Duration replyTimeout;

    PipelinedConnection(Supplier<StatefulRedisConnection<String, String>> opener, Duration replyTimeout) {
        this.connection = new LazyConnection(() -> {
            StatefulRedisConnection<String, String> opened = opener.get();
            opened.setAutoFlushCommands(false);
            return opened;
        });
        this.replyTimeout = replyTimeout;
    }

    /** Queues the commands that {@code issue} makes and sends them in one write; returns their replies to come. */
    <T> List<RedisFuture<T>> send(Function<RedisAsyncCommands<String, String>, List<RedisFuture<T>>> issue) {
        StatefulRedisConnection<String, String> opened = connection.get();
        try {
            return issue.apply(opened.async());
        } finally {
            opened.flushCommands();
        }
    }

    /** Waits for one reply; throws the command's error, or a timeout when Redis does not answer in time. */
    <T> T await(RedisFuture<T> reply) {
        return LettuceFutures.awaitOrCancel(reply, replyTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends one command and waits for its reply. */
    <T> T call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        return await(send(redis -> List.of(command.apply(redis))).getFirst());
    }

    /** Sends the commands and waits for all replies; throws the first failure. */
    <T> void sendAndAwait(Function<RedisAsyncCommands<String, String>, List<RedisFuture<T>>> issue) {
        send(issue).forEach(this::await);
    }

    @Override
    public void close() {
        connection.close();
    }
}
