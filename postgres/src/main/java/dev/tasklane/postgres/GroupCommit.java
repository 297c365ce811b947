package dev.tasklane.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: concurrent callers' writes of one kind share one connection and one
 * transaction. A writer takes the first waiting item, then every item that queued up
 * meanwhile (up to a batch), writes them together and wakes each caller with its own
 * result. Nothing waits for a timer: when callers come one at a time, each is written
 * alone at once; under load, batches grow by themselves. A burst that queues more than
 * a whole batch (a thousand claims at once when a lane's slots free together) is also
 * written by one writer more, which takes only whole batches: the burst's batches are
 * written side by side, while a steady stream of small batches still goes to the first
 * writers alone. If a batch fails, its items are written one by one, so one bad item
 * fails only its own caller.
 *
 * <p>A group may give way to another: before it writes a batch, it waits while the other
 * has items waiting or being written, up to a bound, so that the other's writes get the
 * database's (and the machine's) time first. The batch it then writes holds whatever
 * queued meanwhile.
 *
 * @param <I> what a caller writes
 * @param <R> what the caller gets back
 */
final class GroupCommit<I, R> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** Writes items on a connection inside the caller's transaction; answers one result per item, in order. */
    @FunctionalInterface
    interface BatchWrite<I, R> {
        List<R> write(Connection connection, List<I> items) throws SQLException;
    }

    /** How a batch's write commits. */
    enum Transaction {
        /**
         * The write gets a connection in auto-commit: a single statement commits by itself,
         * one round trip, where a transaction takes two (the statement with its BEGIN, then
         * COMMIT). A write whose statements must commit together opens the transaction
         * itself ({@link Database#inTransaction(Connection, Database.Work)}).
         */
        AUTO_COMMIT,
        /** The write's statements share one transaction. */
        ONE_TRANSACTION
    }

    private record Pending<I, R>(I item, CompletableFuture<R> result) {}

    private final Database db;
    private final String name;
    private final int maxBatch;
    private final Transaction transaction;
    private final BatchWrite<I, R> write;
    private final LinkedBlockingQueue<Pending<I, R>> queue = new LinkedBlockingQueue<>();
    /** Items asked for and not answered yet: waiting, or in a batch being written. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idle = idleLock.newCondition();
    private final GroupCommit<?, ?> givesWayTo;
    private final Duration mostGivenWay;
    /** Released whenever a whole batch is waiting; the burst writer takes its batches on it. */
    private final Semaphore wholeBatchWaiting = new Semaphore(0);
    private final List<Thread> writers = new ArrayList<>();

    /**
     * How many writers a group gets: one on a machine of fewer than four cores, else two.
     * Two overlap their round trips, but each then takes a smaller batch, and where cores
     * are short the extra transactions cost more than the overlap gains: on two cores one
     * writer per group gave the end-to-end benchmark 10 to 15% more throughput. No more
     * than two: each holds a connection for as long as it writes.
     */
    static int defaultWriters() {
        return Runtime.getRuntime().availableProcessors() < 4 ? 1 : 2;
    }

    /** How many connections a group's writers hold at most: theirs, and the burst writer's. */
    static int connections(int writers) {
        return writers + 1;
    }

    /**
     * @param db      where the group writes; its connections' settings are the group's (see {@link GroupConnections})
     * @param writers how many batches may be in flight at once besides a burst's (each holds one connection)
     */
    GroupCommit(Database db, String name, int writers, int maxBatch, Transaction transaction,
                BatchWrite<I, R> write) {
        this(db, name, writers, maxBatch, transaction, write, null, Duration.ZERO);
    }

    /**
     * @param givesWayTo   the group whose unanswered items this one's batches wait for
     * @param mostGivenWay how long a batch waits for that group at most
     */
    GroupCommit(Database db, String name, int writers, int maxBatch, Transaction transaction,
                BatchWrite<I, R> write, GroupCommit<?, ?> givesWayTo, Duration mostGivenWay) {
        this.givesWayTo = givesWayTo;
        this.mostGivenWay = mostGivenWay;
        this.db = db;
        this.name = name;
        this.maxBatch = maxBatch;
        this.transaction = transaction;
        this.write = write;
        // platform threads: a writer whose answer arrived runs at once, not behind the thousands
        // of runnable virtual threads its last batch woke (with 10,000 model calls in flight, a
        // virtual writer let the claims of the first wave take over two seconds instead of one)
        for (int i = 0; i < writers; i++) {
            this.writers.add(Thread.ofPlatform().daemon().name("group-commit-" + name + "-" + i).start(this::writeLoop));
        }
        this.writers.add(Thread.ofPlatform().daemon().name("group-commit-" + name + "-burst").start(this::burstLoop));
    }

    /** Writes the item with whatever else is waiting, and returns its result once committed. */
    R submit(I item) {
        try {
            return submitAsync(item).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for the " + name + " write", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StorageException(name + " write failed", e.getCause());
        }
    }

    /**
     * Queues the item to be written with whatever else is waiting. The answer completes on
     * the writer's thread once committed, so what runs on it must not block: the writer's
     * next batch waits for it.
     */
    CompletableFuture<R> submitAsync(I item) {
        CompletableFuture<R> result = new CompletableFuture<>();
        unanswered.incrementAndGet();
        result.whenComplete((answer, failure) -> answered());
        queue.add(new Pending<>(item, result));
        if (queue.size() >= maxBatch) {
            wholeBatchWaiting.release();
        }
        return result;
    }

    private void writeLoop() {
        List<Pending<I, R>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            giveWay();
            queue.drainTo(batch, maxBatch - 1);
            writeBatch(batch);
            batch.clear();
        }
    }

    /** Writes whole batches only, for as long as one is waiting beyond what the other writers took. */
    private void burstLoop() {
        List<Pending<I, R>> batch = new ArrayList<>();
        while (true) {
            try {
                wholeBatchWaiting.acquire();
            } catch (InterruptedException e) {
                return;
            }
            wholeBatchWaiting.drainPermits();
            giveWay();
            while (queue.size() >= maxBatch) {
                queue.drainTo(batch, maxBatch);
                writeBatch(batch);
                batch.clear();
            }
        }
    }

    private void answered() {
        if (unanswered.decrementAndGet() == 0) {
            idleLock.lock();
            try {
                idle.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    /** Waits while the group this one gives way to has unanswered items, at most {@link #mostGivenWay}. */
    private void giveWay() {
        if (givesWayTo == null) {
            return;
        }
        try {
            givesWayTo.awaitAnswered(mostGivenWay);
        } catch (InterruptedException e) {
            // closing: the batch in hand is still written (or fails), so that no caller is left waiting
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until every item asked for so far is answered, or the time is up. */
    void awaitAnswered(Duration most) throws InterruptedException {
        if (unanswered.get() == 0) {
            return;
        }
        idleLock.lock();
        try {
            long left = most.toNanos();
            while (unanswered.get() > 0 && left > 0) {
                left = idle.awaitNanos(left);
            }
        } finally {
            idleLock.unlock();
        }
    }

    private void writeBatch(List<Pending<I, R>> batch) {
        List<R> results;
        try {
            List<I> items = batch.stream().map(Pending::item).toList();
            results = transaction == Transaction.AUTO_COMMIT
                    ? db.withConnection(c -> write.write(c, items))
                    : db.inTransaction(c -> write.write(c, items));
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(e);
                return;
            }
            log.debug("{}: a batch of {} failed; writing its items one by one", name, batch.size(), e);
            for (Pending<I, R> p : batch) {
                writeBatch(new ArrayList<>(List.of(p)));
            }
            return;
        }
        // outside the write's try: the callers' continuations run here, and nothing they do
        // may make a committed batch be written again
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /** Stops the writers; callers still waiting get an exception. */
    @Override
    public void close() {
        writers.forEach(Thread::interrupt);
        List<Pending<I, R>> abandoned = new ArrayList<>();
        queue.drainTo(abandoned);
        abandoned.forEach(p -> p.result().completeExceptionally(new StorageException(name + ": storage closed", null)));
    }
}
