package dev.tasklane.redis;

import dev.tasklane.core.port.Delivery;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads one lane for one consumer on a connection of its own: Redis answers a connection's
 * commands in order, so a blocking XREADGROUP on a shared connection would hold up every
 * command queued behind it. Reads under one consumer name take turns.
 */
final class LaneReader implements AutoCloseable {
    /** Reading with {@code >} hands out entries never delivered before. */
    private static final long FIRST_DELIVERY = 1;
    /**
     * New entries of the lane's streams (KEYS, highest priority first) for one consumer, at most
     * ARGV[3] in all, filling from the highest priority down: in one round trip and without
     * taking more than asked, which separate reads per stream could not both do. It answers
     * each stream's reply as XREADGROUP gave it ({stream, {{id, fields}, ...}}), so that Redis
     * does not build a table per entry.
     */
    private static final String READ_BY_PRIORITY = """
            local replies = {}
            local left = tonumber(ARGV[3])
            for _, stream in ipairs(KEYS) do
              if left <= 0 then break end
              local reply = redis.pcall('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', left, 'STREAMS', stream, '>')
              -- an error goes back as it is (e.g. NOGROUP), not wrapped as a failed script
              if type(reply) == 'table' and reply.err then return reply end
              if reply then
                replies[#replies + 1] = reply[1]
                left = left - #reply[1][2]
              end
            end
            return replies""";

    private final String lane;
    private final List<String> streamsByPriority;
    private final Consumer<String> consumer;
    private final LazyConnection connection;
    private final Duration commandTimeout;
    private final Runnable recreateLane;
    /**
     * Entries a blocking read got beyond {@code max}; they are pending for this consumer
     * already, so the next read hands them out first rather than leaving them to be reclaimed.
     */
    private final Deque<Delivery> carried = new ArrayDeque<>();
    private final ReentrantLock turn = new ReentrantLock();

    LaneReader(String lane, List<String> streamsByPriority, String consumer, LazyConnection connection,
               Duration commandTimeout, Runnable recreateLane) {
        this.lane = lane;
        this.streamsByPriority = streamsByPriority;
        this.consumer = Consumer.from(LaneKeys.GROUP, consumer);
        this.connection = connection;
        this.commandTimeout = commandTimeout;
        this.recreateLane = recreateLane;
    }

    /** Opens the connection now rather than on the first read. */
    void connect() {
        connection.get();
    }

    /**
     * Takes up to {@code max} new entries, filling from the highest priority down without
     * blocking (one script, one round trip); only when every stream is empty does it block,
     * on all three at once.
     */
    List<Delivery> read(int max, Duration block) {
        turn.lock();
        try {
            List<Delivery> taken = takeCarried(max);
            if (taken.size() < max) {
                taken.addAll(readByPriority(max - taken.size()));
            }
            if (!taken.isEmpty() || !block.isPositive()) {
                return taken;
            }
            return keepAtMost(max, readBlocking(max, block));
        } finally {
            turn.unlock();
        }
    }

    /** Blocks on all three streams at once, without reading by priority first (see {@code LaneQueue.awaitNew}). */
    List<Delivery> await(int max, Duration block) {
        turn.lock();
        try {
            List<Delivery> taken = takeCarried(max);
            return taken.isEmpty() ? keepAtMost(max, readBlocking(max, block)) : taken;
        } finally {
            turn.unlock();
        }
    }

    private List<Delivery> takeCarried(int max) {
        List<Delivery> taken = new ArrayList<>(max);
        while (taken.size() < max && !carried.isEmpty()) {
            taken.add(carried.poll());
        }
        return taken;
    }

    // BLOCK 0 would mean "forever", so a block shorter than a millisecond waits one.
    private List<Delivery> readBlocking(int max, Duration block) {
        XReadArgs args = XReadArgs.Builder.count(max).block(Math.max(1, block.toMillis()));
        return readGroup(args, block, streamsByPriority);
    }

    // Redis 7.2+ re-runs a woken XREADGROUP over all its streams, which can return up to
    // COUNT entries from each of them; the caller asked for no more than max.
    private List<Delivery> keepAtMost(int max, List<Delivery> woken) {
        if (woken.size() <= max) {
            return woken;
        }
        carried.addAll(woken.subList(max, woken.size()));
        return new ArrayList<>(woken.subList(0, max));
    }

    /** When the group or stream is gone (Redis lost its data) it makes the lane again and retries once. */
    private List<Delivery> readByPriority(int max) {
        try {
            return evalReadByPriority(max);
        } catch (RedisCommandExecutionException e) {
            if (!RedisErrors.hasCode(e, "NOGROUP")) {
                throw e;
            }
            recreateLane.run();
            return evalReadByPriority(max);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Delivery> evalReadByPriority(int max) {
        StatefulRedisConnection<String, String> opened = connection.get();
        opened.setTimeout(commandTimeout);
        List<Object> replies = opened.sync().eval(READ_BY_PRIORITY, ScriptOutputType.MULTI,
                streamsByPriority.toArray(String[]::new), LaneKeys.GROUP, consumer.getName(), Integer.toString(max));
        List<Delivery> taken = new ArrayList<>();
        for (Object reply : replies) {
            List<Object> streamReply = (List<Object>) reply;
            String stream = (String) streamReply.get(0);
            for (Object item : (List<Object>) streamReply.get(1)) {
                List<Object> entry = (List<Object>) item;
                List<Object> fields = (List<Object>) entry.get(1);
                Map<String, String> body = new LinkedHashMap<>();
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    body.put((String) fields.get(i), (String) fields.get(i + 1));
                }
                taken.add(StreamEntries.toDelivery(lane, new StreamMessage<>(stream, (String) entry.get(0), body),
                        FIRST_DELIVERY));
            }
        }
        return taken;
    }

    /** One XREADGROUP; when the group or stream is gone (Redis lost its data) it makes the lane again and retries once. */
    private List<Delivery> readGroup(XReadArgs args, Duration block, List<String> streams) {
        try {
            return xreadgroup(args, block, streams);
        } catch (RedisCommandExecutionException e) {
            if (!RedisErrors.hasCode(e, "NOGROUP")) {
                throw e;
            }
            recreateLane.run();
            return xreadgroup(args, block, streams);
        }
    }

    @SuppressWarnings("unchecked")
    private List<Delivery> xreadgroup(XReadArgs args, Duration block, List<String> streams) {
        StatefulRedisConnection<String, String> opened = connection.get();
        // Reads take turns, so this connection's timeout is ours to set for each one.
        opened.setTimeout(commandTimeout.plus(block));
        StreamOffset<String>[] offsets = streams.stream().map(StreamOffset::lastConsumed).toArray(StreamOffset[]::new);
        List<StreamMessage<String, String>> entries = opened.sync().xreadgroup(consumer, args, offsets);
        return entries.stream().map(entry -> StreamEntries.toDelivery(lane, entry, FIRST_DELIVERY)).toList();
    }

    @Override
    public void close() {
        connection.close();
    }
}
