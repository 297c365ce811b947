package dev.tasklane.redis;

import dev.tasklane.core.model.Priority;
import dev.tasklane.core.port.Delivery;
import dev.tasklane.core.port.LaneQueue;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * {@link LaneQueue} on Redis Streams: one stream per lane and priority (see {@link LaneKeys}),
 * entries holding only a task id. All commands but reads share one pipelined connection;
 * each (lane, consumer) reads on a connection of its own, opened on its first read.
 */
public final class RedisLaneQueue implements LaneQueue, AutoCloseable {
    private final RedisClient client;
    private final RedisURI uri;
    private final LaneKeys keys;
    private final PipelinedConnection shared;
    private final LaneReclaimer reclaimer;
    private final ConcurrentMap<ReaderKey, LaneReader> readers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private record ReaderKey(String lane, String consumer) {}

    /**
     * @param redisUrl  {@code redis://[:password@]host:port[/db]} or {@code rediss://…}; a
     *                  {@code ?timeout=} in it bounds every reply (a blocking read gets its block on top)
     * @param keyPrefix the first part of every key, e.g. {@code tl}
     */
    public RedisLaneQueue(String redisUrl, String keyPrefix) {
        this.keys = new LaneKeys(keyPrefix);
        this.uri = RedisURI.create(redisUrl);
        this.client = RedisClient.create();
        // While Lettuce reconnects, fail commands at once instead of buffering them: callers
        // retry, and the reconciler re-publishes whatever did not reach Redis.
        client.setOptions(ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS).build());
        this.shared = new PipelinedConnection(() -> client.connect(uri), uri.getTimeout());
        this.reclaimer = new LaneReclaimer(shared, keys);
    }

    @Override
    public void createLane(String lane) {
        requireOpen();
        // From id 0, not $: ids published before the group existed must still be delivered.
        List<RedisFuture<String>> replies = shared.send(redis -> keys.streams(lane).stream()
                .map(stream -> redis.xgroupCreate(StreamOffset.from(stream, "0"), LaneKeys.GROUP,
                        XGroupCreateArgs.Builder.mkstream()))
                .toList());
        for (RedisFuture<String> reply : replies) {
            try {
                shared.await(reply);
            } catch (RedisCommandExecutionException e) {
                if (!RedisErrors.hasCode(e, "BUSYGROUP")) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void publish(String lane, Priority priority, List<UUID> taskIds) {
        requireOpen();
        if (taskIds.isEmpty()) {
            return;
        }
        String stream = keys.stream(lane, priority);
        shared.sendAndAwait(redis -> taskIds.stream()
                .map(taskId -> redis.xadd(stream, StreamEntries.body(taskId)))
                .toList());
    }

    /** Reads under one (lane, consumer) take turns; different consumers read side by side. */
    @Override
    public List<Delivery> read(String lane, String consumer, int max, Duration block) {
        requireOpen();
        requireAtLeastOne(max);
        if (block.isNegative()) {
            throw new IllegalArgumentException("block must not be negative, was " + block);
        }
        return reader(lane, consumer).read(max, block);
    }

    @Override
    public List<Delivery> awaitNew(String lane, String consumer, int max, Duration block) {
        requireOpen();
        requireAtLeastOne(max);
        if (!block.isPositive()) {
            throw new IllegalArgumentException("block must be positive, was " + block);
        }
        return reader(lane, consumer).await(max, block);
    }

    @Override
    public void connectReader(String lane, String consumer) {
        requireOpen();
        createLane(lane);
        reader(lane, consumer).connect();
    }

    private LaneReader reader(String lane, String consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return readers.computeIfAbsent(new ReaderKey(lane, consumer), this::newReader);
    }

    private LaneReader newReader(ReaderKey key) {
        RedisURI readerUri = RedisURI.builder(uri).withClientName(keys.readerClientName(key.lane(), key.consumer())).build();
        return new LaneReader(key.lane(), keys.streams(key.lane()), key.consumer(),
                new LazyConnection(() -> client.connect(readerUri)), uri.getTimeout(), () -> createLane(key.lane()));
    }

    /**
     * Claims entries of any of the lane's streams, highest priority first. Each stream's scan
     * goes on where the previous reclaim of it stopped, and a call returns fewer than {@code max}
     * only when it has looked at the whole pending list (or when a claimed entry was acknowledged
     * or claimed by another consumer before its delivery count was read; it is left out). Entries
     * deleted while pending are dropped from the pending list rather than returned; a lane
     * without streams has nothing.
     */
    @Override
    public List<Delivery> reclaim(String lane, String consumer, Duration minIdle, int max) {
        requireOpen();
        requireAtLeastOne(max);
        if (minIdle.isNegative()) {
            throw new IllegalArgumentException("minIdle must not be negative, was " + minIdle);
        }
        Objects.requireNonNull(consumer, "consumer");
        return reclaimer.reclaim(lane, consumer, minIdle, max);
    }

    @Override
    public Optional<Instant> oldestEntry(String lane, Priority priority) {
        requireOpen();
        String stream = keys.stream(lane, priority);
        List<StreamMessage<String, String>> first = shared.call(redis -> redis.xrange(stream, Range.create("-", "+"), Limit.from(1)));
        return first.stream().findFirst().map(entry -> StreamEntries.addedAt(entry.getId()));
    }

    /** XACK, then XDEL: an acknowledged entry is not needed anymore, and deleting it keeps streams short. */
    @Override
    public void ack(List<Delivery> deliveries) {
        requireOpen();
        if (deliveries.isEmpty()) {
            return;
        }
        Map<String, List<String>> entryIdsByStream = deliveries.stream().collect(Collectors.groupingBy(
                Delivery::stream, LinkedHashMap::new, Collectors.mapping(Delivery::entryId, Collectors.toList())));
        shared.sendAndAwait(redis -> {
            List<RedisFuture<Long>> replies = new ArrayList<>();
            entryIdsByStream.forEach((stream, entryIds) -> {
                String[] ids = entryIds.toArray(String[]::new);
                replies.add(redis.xack(stream, LaneKeys.GROUP, ids));
                replies.add(redis.xdel(stream, ids));
            });
            return replies;
        });
    }

    @Override
    public void ping() {
        requireOpen();
        shared.sendAndAwait(redis -> List.of(redis.ping()));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        readers.values().forEach(LaneReader::close);
        shared.close();
        client.shutdown();
    }

    private static void requireAtLeastOne(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the lane queue is closed");
        }
    }
}
