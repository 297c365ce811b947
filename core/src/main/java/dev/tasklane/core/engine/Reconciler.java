package dev.tasklane.core.engine;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.LaneQueue;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes again the queued tasks whose stream entry is gone: lost with Redis's
 * data, or never written because the process died between commit and XADD.
 * Acknowledged entries are deleted, so every entry still in a stream is newer than
 * or as old as its oldest one: a task published before that entry, and longer ago
 * than {@code reconcileAfter}, has no entry left. Duplicates are harmless.
 */
final class Reconciler implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int BATCH = 1000;
    /** Entry ids carry Redis's clock, enqueued_at this process's: allow for some skew. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

    private final TaskStore tasks;
    private final LaneQueue queue;
    private final TaskPublisher publisher;
    private final List<LaneConfig> lanes;
    private final Duration reconcileAfter;
    private final Clock clock;

    Reconciler(TaskStore tasks, LaneQueue queue, TaskPublisher publisher, List<LaneConfig> lanes,
               Duration reconcileAfter, Clock clock) {
        this.tasks = tasks;
        this.queue = queue;
        this.publisher = publisher;
        this.lanes = lanes;
        this.reconcileAfter = reconcileAfter;
        this.clock = clock;
    }

    @Override
    public void run() {
        for (LaneConfig lane : lanes) {
            for (Priority priority : Priority.values()) {
                reconcile(lane.name(), priority);
            }
        }
    }

    private void reconcile(String lane, Priority priority) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(reconcileAfter);
        Optional<Instant> oldest = queue.oldestEntry(lane, priority);
        if (oldest.isPresent() && oldest.get().minus(CLOCK_SKEW).isBefore(cutoff)) {
            cutoff = oldest.get().minus(CLOCK_SKEW);
        }
        List<Task> lost = tasks.takeStaleQueued(lane, priority, cutoff, now, BATCH);
        if (!lost.isEmpty()) {
            log.warn("lane {} ({}): {} queued task(s) had no stream entry; published again", lane,
                    priority.wire(), lost.size());
            publisher.publish(lost);
        }
    }
}
