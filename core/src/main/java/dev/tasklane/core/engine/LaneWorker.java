package dev.tasklane.core.engine;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.port.Delivery;
import dev.tasklane.core.port.LaneQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one lane and runs each task on its own virtual thread. A semaphore of the
 * lane's concurrency bounds the calls in flight: the worker reads only as many
 * entries as it has free slots, so nothing waits in memory. A slot is free again as
 * soon as its call returned, while the outcome is still being written, so the next
 * task's claim overlaps that write. Every half lease the worker first takes over
 * entries other consumers left unacknowledged for a whole lease (a crashed worker's),
 * which then go through the same claim as new ones.
 */
public final class LaneWorker {
    private static final Logger log = LoggerFactory.getLogger(LaneWorker.class);
    private static final Duration READ_BLOCK = Duration.ofMillis(500);
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

    private final LaneConfig lane;
    private final LaneQueue queue;
    private final TaskRunner runner;
    private final String consumer;
    private final Semaphore permits;
    /** One permit per delivery being processed, from launch to its outcome written. */
    private final Semaphore unfinished = new Semaphore(Integer.MAX_VALUE);
    private final Duration reclaimEvery;
    private volatile boolean running = true;
    private long nextReclaim;
    private Thread reader;

    public LaneWorker(LaneConfig lane, LaneQueue queue, TaskRunner runner, String consumer) {
        this.lane = lane;
        this.queue = queue;
        this.runner = runner;
        this.consumer = consumer;
        this.permits = new Semaphore(lane.concurrency());
        this.reclaimEvery = lane.lease().dividedBy(2);
    }

    public void start() {
        queue.createLane(lane.name());
        reader = Thread.ofVirtual().name("lane-" + lane.name()).start(this::readLoop);
    }

    private void readLoop() {
        while (running) {
            try {
                if (!permits.tryAcquire(READ_BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int free = 1 + permits.drainPermits();
                List<Delivery> deliveries = reclaimDue() ? reclaimQuietly(free) : List.of();
                if (deliveries.isEmpty()) {
                    deliveries = readQuietly(free);
                }
                permits.release(free - deliveries.size());
                deliveries.forEach(this::launch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean reclaimDue() {
        long now = System.nanoTime();
        if (now - nextReclaim < 0) {
            return false;
        }
        nextReclaim = now + reclaimEvery.toNanos();
        return true;
    }

    private List<Delivery> reclaimQuietly(int max) {
        try {
            List<Delivery> taken = queue.reclaim(lane.name(), consumer, lane.lease(), max);
            if (!taken.isEmpty()) {
                log.info("lane {}: took over {} entr{} idle for over {}", lane.name(), taken.size(),
                        taken.size() == 1 ? "y" : "ies", lane.lease());
            }
            return taken;
        } catch (RuntimeException e) {
            log.warn("lane {}: taking over idle entries failed; trying again later", lane.name(), e);
            return List.of();
        }
    }

    private List<Delivery> readQuietly(int max) throws InterruptedException {
        try {
            return queue.read(lane.name(), consumer, max, READ_BLOCK);
        } catch (RuntimeException e) {
            log.warn("lane {}: reading the stream failed; trying again in {}", lane.name(), FAILURE_PAUSE, e);
            Thread.sleep(FAILURE_PAUSE);
            return List.of();
        }
    }

    private void launch(Delivery delivery) {
        unfinished.acquireUninterruptibly();
        Thread.ofVirtual().name("task-" + delivery.taskId()).start(() -> {
            AtomicBoolean slotHeld = new AtomicBoolean(true);
            Runnable freeSlot = () -> {
                if (slotHeld.compareAndSet(true, false)) {
                    permits.release();
                }
            };
            try {
                runner.process(delivery, lane, freeSlot);
            } catch (RuntimeException e) {
                log.error("lane {}: task {} could not be processed; its entry stays pending",
                        lane.name(), delivery.taskId(), e);
            } finally {
                freeSlot.run();
                unfinished.release();
            }
        });
    }

    /** Stops reading; calls in flight go on. */
    public void stopReading() {
        running = false;
    }

    /**
     * Waits for the reader to end after {@link #stopReading()}: a read in progress
     * finishes (within its block time) and what it returned is launched like any other.
     */
    public boolean awaitReaderStopped(Duration within) throws InterruptedException {
        return reader == null || reader.join(within);
    }

    /** Waits until every task taken has finished, its outcome written, or the time is up. */
    public boolean awaitTasksDone(Duration within) throws InterruptedException {
        if (!unfinished.tryAcquire(Integer.MAX_VALUE, within.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        unfinished.release(Integer.MAX_VALUE);
        return true;
    }

    public String lane() {
        return lane.name();
    }

}
