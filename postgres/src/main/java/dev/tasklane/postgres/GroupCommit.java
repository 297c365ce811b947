package dev.tasklane.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: concurrent callers' writes of one kind share one connection and one
 * transaction. A writer takes the first waiting item, then every item that queued up
 * meanwhile (up to a batch), writes them together and wakes each caller with its own
 * result. Nothing waits for a timer: when callers come one at a time, each is written
 * alone at once; under load, batches grow by themselves. If a batch fails, its items
 * are written one by one, so one bad item fails only its own caller.
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

    /** Whether a caller is answered after its commit reached the disk, or as soon as it is visible. */
    enum Flush {
        /** The commit is flushed to the WAL on disk before its callers are answered. */
        WAIT,
        /**
         * The commit is answered at once and flushed within moments (PostgreSQL's asynchronous
         * commit): a database crash may undo it, never corrupt it. For writes whose loss only
         * repeats work, never loses a promise; any later flushed commit flushes it too.
         */
        ASYNC
    }

    /** How the batch's statements are planned. */
    enum Plans {
        /** A prepared statement's plan may be made once and kept (PostgreSQL's default). */
        CACHED,
        /**
         * Each execution is planned for its arguments and the tables as they are now. A kept
         * plan made while a new tasks table was nearly empty scans every queued task for each
         * batch once the table has grown (a claim of 15 tasks took 36 ms after 50,000
         * submissions to a new database); planning again costs well under a millisecond.
         */
        FRESH
    }

    private record Pending<I, R>(I item, CompletableFuture<R> result) {}

    private final Database db;
    private final String name;
    private final int maxBatch;
    /** Run at the start of each batch's transaction (one round trip), or null. */
    private final String transactionSettings;
    private final BatchWrite<I, R> write;
    private final LinkedBlockingQueue<Pending<I, R>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();

    /**
     * How many writers a group gets: one on a machine of fewer than four cores, else two.
     * Two overlap their round trips, but each then takes a smaller batch, and where cores
     * are short the extra transactions cost more than the overlap gains: on two cores one
     * writer per group gave the end-to-end benchmark 10 to 15% more throughput. No more
     * than two, so that the four groups hold at most eight of the pool's connections.
     */
    static int defaultWriters() {
        return Runtime.getRuntime().availableProcessors() < 4 ? 1 : 2;
    }

    /** @param writers how many batches may be in flight at once (each holds one connection) */
    GroupCommit(Database db, String name, int writers, int maxBatch, Flush flush, Plans plans,
                BatchWrite<I, R> write) {
        this.db = db;
        this.name = name;
        this.maxBatch = maxBatch;
        this.transactionSettings = transactionSettings(flush, plans);
        this.write = write;
        for (int i = 0; i < writers; i++) {
            this.writers.add(Thread.ofVirtual().name("group-commit-" + name + "-" + i).start(this::writeLoop));
        }
    }

    private static String transactionSettings(Flush flush, Plans plans) {
        List<String> settings = new ArrayList<>();
        if (flush == Flush.ASYNC) {
            settings.add("SET LOCAL synchronous_commit = off");
        }
        if (plans == Plans.FRESH) {
            settings.add("SET LOCAL plan_cache_mode = force_custom_plan");
        }
        return settings.isEmpty() ? null : String.join("; ", settings);
    }

    /** Writes the item with whatever else is waiting, and returns its result once committed. */
    R submit(I item) {
        CompletableFuture<R> result = new CompletableFuture<>();
        queue.add(new Pending<>(item, result));
        try {
            return result.get();
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

    private void writeLoop() {
        List<Pending<I, R>> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            writeBatch(batch);
            batch.clear();
        }
    }

    private void writeBatch(List<Pending<I, R>> batch) {
        try {
            List<R> results = db.inTransaction(c -> {
                if (transactionSettings != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(transactionSettings);
                    }
                }
                return write.write(c, batch.stream().map(Pending::item).toList());
            });
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(e);
                return;
            }
            log.debug("{}: a batch of {} failed; writing its items one by one", name, batch.size(), e);
            for (Pending<I, R> p : batch) {
                writeBatch(new ArrayList<>(List.of(p)));
            }
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
