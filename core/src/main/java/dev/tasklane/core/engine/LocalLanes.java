package dev.tasklane.core.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lane workers of this process, for the submissions this process commits. A task
 * whose lane's worker here is idle (waiting on an empty stream, with a slot free) is
 * written already claimed by that worker and starts on it once committed, instead of
 * going through Redis: no publish, no read, no claim, no acknowledgement, as Temporal's
 * eager dispatch skips its matching service. Its insert is its claim (invariant 2: no
 * other worker can see the row before it commits, claimed); if this process dies before
 * the task ends, its lease runs out and the lease sweep hands it on. A busy worker takes
 * nothing here, so a backlog in the stream is never overtaken.
 */
public final class LocalLanes {
    private final Map<String, LaneWorker> byLane = new ConcurrentHashMap<>();

    /** @return a slot held for one task of the lane, or empty if it must be woken through the stream */
    Optional<LocalStart> reserve(String lane) {
        LaneWorker worker = byLane.get(lane);
        return worker != null ? worker.reserveLocal() : Optional.empty();
    }

    void register(LaneWorker worker) {
        byLane.put(worker.lane(), worker);
    }

    void unregister(LaneWorker worker) {
        byLane.remove(worker.lane(), worker);
    }
}
