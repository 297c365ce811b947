package dev.tasklane.core.port;

import dev.tasklane.core.model.Priority;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Transport of task ids to workers: one stream per lane and priority, one consumer
 * group per lane. Holds nothing the database does not; it may lose everything.
 */
public interface LaneQueue {

    /** Creates the lane's streams and consumer group if missing. Idempotent. */
    void createLane(String lane);

    /**
     * Creates the lane as {@link #createLane} does and opens the connection this consumer
     * reads it on, so that its first read waits for neither; a read opens it otherwise.
     */
    void connectReader(String lane, String consumer);

    /** Appends the ids in one round trip. Called only after their rows are committed. */
    void publish(String lane, Priority priority, List<UUID> taskIds);

    /**
     * Reads up to {@code max} new entries for this consumer, higher priorities first,
     * blocking up to {@code block} when none is waiting. Must not block other callers
     * of this queue (publish and ack stay fast while a read blocks).
     */
    List<Delivery> read(String lane, String consumer, int max, Duration block);

    /**
     * Waits up to {@code block} (positive) for new entries of the lane, at most {@code max},
     * without first reading by priority: for a caller whose {@link #read} without blocking
     * has just found every stream empty, so that its wait costs no second look.
     */
    List<Delivery> awaitNew(String lane, String consumer, int max, Duration block);

    /**
     * Takes over entries of the lane (any priority) that were delivered to some consumer and
     * not acknowledged for at least {@code minIdle} (XAUTOCLAIM), at most {@code max}; each
     * carries its delivery count, this delivery included.
     */
    List<Delivery> reclaim(String lane, String consumer, Duration minIdle, int max);

    /**
     * When the oldest entry still in the lane's stream of this priority was added (delivered
     * or not; acknowledged entries are deleted), or empty when the stream is empty or missing.
     * A queued task published before this instant has lost its entry.
     */
    Optional<Instant> oldestEntry(String lane, Priority priority);

    /** Acknowledges entries (after their result is committed). */
    void ack(List<Delivery> deliveries);

    /** Checks the connection; throws when the queue cannot be reached. */
    void ping();
}
