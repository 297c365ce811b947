package dev.tasklane.core.engine;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.port.LaneQueue;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lane workers of one process: started together, stopped together. */
public final class Workers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);

    private final List<LaneWorker> workers;
    private final Duration grace;

    public Workers(List<LaneConfig> lanes, LaneQueue queue, TaskRunner runner, String consumer, Duration grace) {
        this.workers = lanes.stream().map(l -> new LaneWorker(l, queue, runner, consumer)).toList();
        this.grace = grace;
    }

    public void start() {
        workers.forEach(LaneWorker::start);
        log.info("workers started for lanes {}", workers.stream().map(LaneWorker::lane).toList());
    }

    /** Stops reading every lane, then lets calls in flight finish within the grace period. */
    @Override
    public void close() {
        workers.forEach(LaneWorker::stopReading);
        long deadline = System.nanoTime() + grace.toNanos();
        for (LaneWorker w : workers) {
            try {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!w.awaitIdle(left)) {
                    log.warn("lane {}: {} task(s) still running after the grace period of {}",
                            w.lane(), w.inFlight(), grace);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
