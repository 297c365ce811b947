package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lane workers of this process, for the submissions this process commits. A task
 * whose lane's worker here is idle (waiting on an empty stream, with a slot free)
 * starts on it at once instead of going through Redis: no publish, no read, no
 * acknowledgement, as Temporal's eager dispatch skips its matching service. The task
 * still goes through the conditional claim; until that commits it is an ordinary
 * queued task without a stream entry, which the reconciler publishes if this process
 * dies first. A busy worker takes nothing here, so a backlog in the stream is never
 * overtaken.
 */
public final class LocalLanes {
    private final Map<String, LaneWorker> byLane = new ConcurrentHashMap<>();

    /** @return whether the task was started here; if not, its lane must be woken through the stream */
    boolean tryStart(Task task) {
        LaneWorker worker = byLane.get(task.lane());
        return worker != null && worker.tryStartLocal(task);
    }

    void register(LaneWorker worker) {
        byLane.put(worker.lane(), worker);
    }

    void unregister(LaneWorker worker) {
        byLane.remove(worker.lane(), worker);
    }
}
