package dev.tasklane.redis;

import dev.tasklane.core.port.CancelSignals;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CancelSignals} on Redis pub/sub: a signal is a message holding the task id on the
 * channel {@code <prefix>:cancel}. Publishing goes over a pipelined connection. The subscribers
 * of one instance share a dedicated pub/sub connection, opened by the first subscribe; the
 * channel is subscribed while at least one of them listens. Lettuce reconnects that connection
 * and subscribes it again by itself; signals sent while it is away are lost, as the port allows.
 */
public final class RedisCancelSignals implements CancelSignals, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisCancelSignals.class);

    private final RedisClient client;
    private final RedisURI uri;
    private final String channel;
    private final PipelinedConnection publisher;
    private final CancelListeners listeners = new CancelListeners();
    /** Guards the pub/sub connection, the channel subscription and {@link #closed}; held while Redis answers. */
    private final ReentrantLock subscriptions = new ReentrantLock();
    private StatefulRedisPubSubConnection<String, String> subscriber;
    private volatile boolean closed;

    /**
     * @param redisUrl  {@code redis://[:password@]host:port[/db]} or {@code rediss://…}; a
     *                  {@code ?timeout=} in it bounds every reply
     * @param keyPrefix the prefix the lane queue uses, e.g. {@code tl}
     */
    public RedisCancelSignals(String redisUrl, String keyPrefix) {
        if (keyPrefix == null || keyPrefix.isEmpty()) {
            throw new IllegalArgumentException("the key prefix must not be empty");
        }
        this.channel = keyPrefix + ":cancel";
        this.uri = RedisURI.create(redisUrl);
        this.client = RedisClient.create();
        // Signals are best effort: while Lettuce reconnects, fail at once rather than queue them.
        client.setOptions(ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).build());
        this.publisher = new PipelinedConnection(() -> client.connect(uri), uri.getTimeout());
    }

    @Override
    public void publish(UUID taskId) {
        Objects.requireNonNull(taskId, "taskId");
        requireOpen();
        publisher.call(redis -> redis.publish(channel, taskId.toString()));
    }

    /**
     * Registers the listener; the first one subscribes the channel, which throws when Redis cannot
     * be reached (nothing is registered then). The listener runs on Lettuce's I/O thread and must
     * return quickly. Closing the handle stops it; closing the last one unsubscribes the channel.
     */
    @Override
    public AutoCloseable subscribe(Consumer<UUID> listener) {
        Objects.requireNonNull(listener, "listener");
        subscriptions.lock();
        try {
            requireOpen();
            if (listeners.isEmpty()) {
                subscriber().sync().subscribe(channel);
            }
            CancelListeners.Registration registration = listeners.add(listener);
            return () -> unsubscribe(registration);
        } finally {
            subscriptions.unlock();
        }
    }

    private StatefulRedisPubSubConnection<String, String> subscriber() {
        if (subscriber == null) {
            subscriber = client.connectPubSub(uri);
            subscriber.addListener(listeners);
        }
        return subscriber;
    }

    /**
     * The listener is stopped whatever Redis says. If the UNSUBSCRIBE fails, the channel stays
     * subscribed with nobody to hand signals to, until the next subscribe or close.
     */
    private void unsubscribe(CancelListeners.Registration registration) {
        subscriptions.lock();
        try {
            if (!listeners.remove(registration) || closed || !listeners.isEmpty()) {
                return;
            }
            subscriber.sync().unsubscribe(channel);
        } catch (RedisException e) {
            log.warn("Could not unsubscribe {}; it stays subscribed without listeners", channel, e);
        } finally {
            subscriptions.unlock();
        }
    }

    @Override
    public void close() {
        subscriptions.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            listeners.removeAll();
            if (subscriber != null) {
                subscriber.close();
            }
            publisher.close();
            client.shutdown();
        } finally {
            subscriptions.unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the cancel signals are closed");
        }
    }
}
