package dev.tasklane.redis;

import dev.tasklane.core.port.Delivery;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.Range.Boundary;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Takes over a lane's stalled entries with XAUTOCLAIM. The scan of each stream's pending list
 * resumes where the previous call stopped, so small reclaims in a row walk the whole list
 * instead of its head alone.
 */
final class LaneReclaimer {
    /** XAUTOCLAIM's cursor for "from the start", and the cursor it answers once the scan wrapped. */
    private static final String SCAN_START = "0-0";
    /** XAUTOCLAIM looks at no more than this many pending entries per entry its COUNT lets it claim. */
    private static final int PENDING_SCANNED_PER_CLAIM = 10;

    private final PipelinedConnection redis;
    private final LaneKeys keys;
    private final ConcurrentMap<String, String> cursorByStream = new ConcurrentHashMap<>();

    LaneReclaimer(PipelinedConnection redis, LaneKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** Up to {@code max} entries idle for at least {@code minIdle}, claimed for {@code consumer}, higher priorities first. */
    List<Delivery> reclaim(String lane, String consumer, Duration minIdle, int max) {
        List<Delivery> taken = new ArrayList<>(max);
        for (String stream : keys.streams(lane)) {
            if (taken.size() == max) {
                break;
            }
            taken.addAll(reclaimStream(lane, stream, consumer, minIdle, max - taken.size()));
        }
        return taken;
    }

    /**
     * Claims up to {@code max} entries of one stream. A scan that began mid-way and wraps goes on
     * from the start once more, so fewer than {@code max} means the whole pending list was looked at.
     */
    private List<Delivery> reclaimStream(String lane, String stream, String consumer, Duration minIdle, int max) {
        String cursor = cursorByStream.getOrDefault(stream, SCAN_START);
        boolean scannedFromStart = cursor.equals(SCAN_START);
        List<Delivery> taken = new ArrayList<>();
        while (taken.size() < max) {
            int count = max - taken.size();
            Optional<AutoClaimReply> claimed = autoClaim(stream, consumer, minIdle, cursor, count);
            if (claimed.isEmpty()) {
                cursorByStream.remove(stream);
                return taken;
            }
            AutoClaimReply reply = claimed.get();
            taken.addAll(withDeliveryCounts(lane, stream, consumer, reply.claimed()));
            if (reply.vanished() > 0) {
                acknowledgeVanished(stream, consumer, cursor, reply, count);
            }
            cursor = reply.nextCursor();
            if (cursor.equals(SCAN_START)) {
                if (scannedFromStart) {
                    break;
                }
                scannedFromStart = true;
            }
        }
        cursorByStream.put(stream, cursor);
        return taken;
    }

    /** One XAUTOCLAIM; empty when the stream or its group does not exist (nothing was ever delivered from it). */
    private Optional<AutoClaimReply> autoClaim(String stream, String consumer, Duration minIdle, String cursor, int count) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).addKey(stream).add(LaneKeys.GROUP)
                .add(consumer).add(minIdle.toMillis()).add(cursor).add("COUNT").add(count);
        try {
            List<Object> reply = redis.call(commands ->
                    commands.dispatch(CommandType.XAUTOCLAIM, new NestedMultiOutput<>(StringCodec.UTF8), args));
            return Optional.of(AutoClaimReply.parse(stream, reply));
        } catch (RedisCommandExecutionException e) {
            if (!RedisErrors.hasCode(e, "NOGROUP")) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /**
     * XAUTOCLAIM does not tell how often an entry was delivered; XPENDING of each claimed id
     * (one round trip for all) does. An entry no longer pending for this consumer by then was
     * acknowledged or claimed by another in the meantime, and is left out.
     */
    private List<Delivery> withDeliveryCounts(String lane, String stream, String consumer,
                                              List<StreamMessage<String, String>> claimed) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        Consumer<String> owner = Consumer.from(LaneKeys.GROUP, consumer);
        List<RedisFuture<List<PendingMessage>>> replies = redis.send(commands -> claimed.stream()
                .map(entry -> commands.xpending(stream, owner, Range.create(entry.getId(), entry.getId()), Limit.from(1)))
                .toList());
        List<Delivery> deliveries = new ArrayList<>(claimed.size());
        for (int i = 0; i < claimed.size(); i++) {
            List<PendingMessage> pending = redis.await(replies.get(i));
            if (!pending.isEmpty()) {
                deliveries.add(StreamEntries.toDelivery(lane, claimed.get(i), pending.getFirst().getRedeliveryCount()));
            }
        }
        return deliveries;
    }

    /**
     * Redis 6.2 claims entries deleted while pending without naming them, so they would stay
     * pending for this consumer forever. They are this consumer's pending entries in the range
     * the XAUTOCLAIM scanned that it did not return and that the stream no longer holds.
     */
    private void acknowledgeVanished(String stream, String consumer, String scanStart, AutoClaimReply reply, int count) {
        Range<String> scanned = reply.nextCursor().equals(SCAN_START)
                ? Range.create(scanStart, "+")
                : Range.from(Boundary.including(scanStart), Boundary.excluding(reply.nextCursor()));
        Set<String> returned = reply.claimed().stream().map(StreamMessage::getId).collect(Collectors.toSet());
        List<String> notReturned = redis.call(commands -> commands.xpending(stream, Consumer.from(LaneKeys.GROUP, consumer),
                        scanned, Limit.from((long) PENDING_SCANNED_PER_CLAIM * count)))
                .stream().map(PendingMessage::getId).filter(id -> !returned.contains(id)).toList();
        List<RedisFuture<List<StreamMessage<String, String>>>> lookups = redis.send(commands -> notReturned.stream()
                .map(id -> commands.xrange(stream, Range.create(id, id)))
                .toList());
        List<String> vanished = new ArrayList<>();
        for (int i = 0; i < notReturned.size(); i++) {
            if (redis.await(lookups.get(i)).isEmpty()) {
                vanished.add(notReturned.get(i));
            }
        }
        if (!vanished.isEmpty()) {
            redis.call(commands -> commands.xack(stream, LaneKeys.GROUP, vanished.toArray(String[]::new)));
        }
    }
}
