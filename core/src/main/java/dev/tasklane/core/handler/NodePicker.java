package dev.tasklane.core.handler;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Chooses a lane's node for each call: round robin over the configured nodes. */
public final class NodePicker {
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();

    /** The next node, or null when the lane has none. */
    public NodeConfig next(LaneConfig lane) {
        if (lane.nodes().isEmpty()) {
            return null;
        }
        long turn = turns.computeIfAbsent(lane.name(), k -> new AtomicLong()).getAndIncrement();
        return lane.nodes().get((int) Math.floorMod(turn, lane.nodes().size()));
    }
}
