package dev.tasklane.core.engine;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.Delivery;
import dev.tasklane.core.port.LaneQueue;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
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
 *
 * <p>While every stream of the lane is empty, the reader waits on them with its free
 * slots lent to {@link #reserveLocal}: a task submitted in this process meanwhile
 * takes one, is written already claimed by this worker, and starts once committed.
 * A slot that frees up during the wait is lent too. When the wait ends, the reader
 * keeps what is left of the lent slots; entries it was handed beyond them are carried
 * to its next turn.
 */
public final class LaneWorker {
    private static final Logger log = LoggerFactory.getLogger(LaneWorker.class);
    private static final Duration READ_BLOCK = Duration.ofMillis(500);
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);
    /**
     * The most entries one read takes, however many slots are free: the claims of one read's
     * entries are written while the next read is on its way, where a read of a thousand
     * entries held every claim back until the last of them was decoded.
     */
    public static final int MOST_PER_READ = 100;

    private final LaneConfig lane;
    private final LaneQueue queue;
    private final TaskRunner runner;
    private final String consumer;
    private final Semaphore permits;
    /** One permit per delivery being processed, from launch to its outcome written. */
    private final Semaphore unfinished = new Semaphore(Integer.MAX_VALUE);
    /** Slots the reader lends to local starts while it waits on empty streams. */
    private final Semaphore idleSlots = new Semaphore(0);
    /**
     * Whether the reader is waiting with its slots lent; guarded by {@link #lendingLock}, so
     * that a slot freed as the wait ends goes either to the lent ones the reader then takes
     * back, or to the reader's own, never to neither.
     */
    private boolean lending;
    private final ReentrantLock lendingLock = new ReentrantLock();
    /** Entries read beyond the slots left after a wait; pending for this consumer already. */
    private final Deque<Delivery> carried = new ArrayDeque<>();
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

    /** Makes the lane and opens the reader's connection, without reading. */
    public void connect() {
        queue.connectReader(lane.name(), consumer);
    }

    /** Starts reading; {@link #connect()} must have been called. */
    public void start() {
        reader = Thread.ofVirtual().name("lane-" + lane.name()).start(this::readLoop);
    }

    private void readLoop() {
        while (running) {
            try {
                if (!permits.tryAcquire(READ_BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int free = 1 + permits.drainPermits();
                // a take-over of a crashed worker's entries may fill every free slot; a read fills
                // one read's worth, and the slots beyond it go back for the next turn
                int slots = Math.min(free, MOST_PER_READ);
                List<Delivery> deliveries = takeCarried(free);
                if (deliveries.isEmpty() && reclaimDue()) {
                    deliveries = reclaimQuietly(free);
                }
                if (deliveries.isEmpty()) {
                    deliveries = readQuietly(() -> queue.read(lane.name(), consumer, slots, Duration.ZERO));
                }
                if (deliveries.isEmpty()) {
                    lend(free);
                    List<Delivery> woken = readQuietly(() -> queue.awaitNew(lane.name(), consumer, slots, READ_BLOCK));
                    free = takeBackLent();
                    deliveries = keepAtMost(free, woken);
                }
                permits.release(free - deliveries.size());
                deliveries.forEach(this::launch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        takeBackLent();
    }

    private void lend(int slots) {
        lendingLock.lock();
        try {
            lending = true;
            idleSlots.release(slots);
        } finally {
            lendingLock.unlock();
        }
    }

    /** Ends the lending; returns how many lent slots are left, which the reader keeps. */
    private int takeBackLent() {
        lendingLock.lock();
        try {
            lending = false;
            return idleSlots.drainPermits();
        } finally {
            lendingLock.unlock();
        }
    }

    /** A slot is free again: lent at once while the reader waits, else the reader's for its next turn. */
    private void giveBackSlot() {
        lendingLock.lock();
        try {
            if (lending) {
                idleSlots.release();
                return;
            }
        } finally {
            lendingLock.unlock();
        }
        permits.release();
    }

    private List<Delivery> takeCarried(int max) {
        List<Delivery> taken = new ArrayList<>();
        while (taken.size() < max && !carried.isEmpty()) {
            taken.add(carried.poll());
        }
        return taken;
    }

    private List<Delivery> keepAtMost(int max, List<Delivery> woken) {
        if (woken.size() <= max) {
            return woken;
        }
        carried.addAll(woken.subList(max, woken.size()));
        return woken.subList(0, max);
    }

    /**
     * Holds one of the slots the reader lent while waiting on empty streams, for a task
     * this process is about to commit already claimed by this worker.
     *
     * @return empty when the reader is busy or stopping, or no lent slot is left
     */
    Optional<LocalStart> reserveLocal() {
        // counted before the slot is taken, so that a shutdown waiting for tasks sees it
        unfinished.acquireUninterruptibly();
        if (!running || !idleSlots.tryAcquire()) {
            unfinished.release();
            return Optional.empty();
        }
        return Optional.of(new LocalStart(runner.workerId(), lane.lease(), this::runClaimed, () -> {
            giveBackSlot();
            unfinished.release();
        }));
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

    private List<Delivery> readQuietly(Supplier<List<Delivery>> read) throws InterruptedException {
        try {
            return read.get();
        } catch (RuntimeException e) {
            log.warn("lane {}: reading the stream failed; trying again in {}", lane.name(), FAILURE_PAUSE, e);
            Thread.sleep(FAILURE_PAUSE);
            return List.of();
        }
    }

    /**
     * Asks for the delivery's claim here, so that the claims of one read share their writes,
     * and runs the task on a thread of its own once the claim is answered.
     */
    private void launch(Delivery delivery) {
        unfinished.acquireUninterruptibly();
        if (!runner.claimable(delivery)) {
            onThread(delivery, freeSlot -> {
                runner.bury(delivery);
                return CompletableFuture.completedFuture(null);
            });
            return;
        }
        runner.claim(delivery, lane).whenComplete((claimed, failure) -> onThread(delivery, freeSlot -> {
            if (failure != null) {
                throw new IllegalStateException("the claim failed", failure);
            }
            return runner.process(delivery, claimed, lane, freeSlot);
        }));
    }

    /** Runs a task claimed on creation, like {@link #launch} from the claim on. */
    private void runClaimed(Task task) {
        Delivery delivery = Delivery.local(lane.name(), task.id());
        onThread(delivery, freeSlot -> runner.processClaimed(task, delivery, lane, freeSlot));
    }

    /**
     * Runs the work on a thread of its own, which ends once the work returned: the slot is
     * free from then on (or sooner, when the work frees it), and the delivery counts as
     * unfinished until the outcome the work answers is written.
     */
    private void onThread(Delivery delivery, Function<Runnable, CompletableFuture<Void>> work) {
        Thread.ofVirtual().name("task-" + delivery.taskId()).start(() -> {
            AtomicBoolean slotHeld = new AtomicBoolean(true);
            Runnable freeSlot = () -> {
                if (slotHeld.compareAndSet(true, false)) {
                    giveBackSlot();
                }
            };
            CompletableFuture<Void> written;
            try {
                written = work.apply(freeSlot);
            } catch (RuntimeException e) {
                written = CompletableFuture.failedFuture(e);
            } finally {
                freeSlot.run();
            }
            written.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    log.error("lane {}: task {} could not be processed; {}", lane.name(), delivery.taskId(),
                            delivery.hasEntry() ? "its entry stays pending" : "the lease sweep hands it on",
                            failure);
                }
                unfinished.release();
            });
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
