package dev.tasklane.core.engine;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the lease of every attempt this process runs, in one statement per lane, so
 * a call that takes minutes is never taken over while its worker lives. An attempt
 * whose lease could not be renewed (taken over, or cancelled) has its call aborted.
 */
final class LeaseKeeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final TaskStore tasks;
    private final InFlight inFlight;
    private final List<LaneConfig> lanes;
    private final Clock clock;

    LeaseKeeper(TaskStore tasks, InFlight inFlight, List<LaneConfig> lanes, Clock clock) {
        this.tasks = tasks;
        this.inFlight = inFlight;
        this.lanes = lanes;
        this.clock = clock;
    }

    @Override
    public void run() {
        for (LaneConfig lane : lanes) {
            Map<UUID, InFlight.Attempt> running = new HashMap<>();
            Map<UUID, Integer> held = new HashMap<>();
            for (InFlight.Attempt a : inFlight.attempts()) {
                if (a.task().lane().equals(lane.name())) {
                    running.put(a.task().id(), a);
                    held.put(a.task().id(), a.task().attempt());
                }
            }
            if (held.isEmpty()) {
                continue;
            }
            Set<UUID> renewed = tasks.renewLeases(held, clock.instant().plus(lane.lease()));
            for (InFlight.Attempt a : running.values()) {
                // an attempt that ended meanwhile has written its outcome (or lost its fence) already
                if (!renewed.contains(a.task().id()) && inFlight.isRunning(a)) {
                    log.warn("task {}: its lease could not be renewed; aborting the attempt", a.task().id());
                    a.abort(AbortReason.LEASE_LOST);
                }
            }
        }
    }
}
