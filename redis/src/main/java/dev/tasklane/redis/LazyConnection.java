package dev.tasklane.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A connection opened on first use: a queue can be built while Redis is down, and a
 * failed open is tried again by the next call. Once open, Lettuce reconnects it by itself.
 * A lock rather than {@code synchronized}, because callers run on virtual threads and
 * opening blocks (on Java 21 a virtual thread inside {@code synchronized} pins its carrier).
 */
final class LazyConnection implements AutoCloseable {
    private final Supplier<StatefulRedisConnection<String, String>> opener;
    private final ReentrantLock lock = new ReentrantLock();
    private StatefulRedisConnection<String, String> connection;
    private boolean closed;

    LazyConnection(Supplier<StatefulRedisConnection<String, String>> opener) {
        this.opener = opener;
    }

    StatefulRedisConnection<String, String> get() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the connection is closed");
            }
            if (connection == null) {
                connection = opener.get();
            }
            return connection;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (connection != null) {
                connection.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
