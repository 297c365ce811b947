package dev.tasklane.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands items to a sink in batches from one background thread, so the caller goes on
 * without waiting for the sink's round trip. Nothing waits for a timer: an item that
 * comes alone goes alone at once; under load, what queued up meanwhile goes together.
 * Only for work whose loss something else repairs: a failing sink is logged and its
 * batch dropped (a lost wake-up is published again by the reconciler, a lost
 * acknowledgement leaves the entry pending until it is reclaimed and dropped).
 *
 * @param <T> one unit of work, e.g. a task to publish or a delivery to acknowledge
 */
final class Batcher<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Batcher.class);
    private static final Object STOP = new Object();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final int maxBatch;
    private final Consumer<List<T>> sink;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread worker;

    Batcher(String name, int maxBatch, Consumer<List<T>> sink) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.sink = sink;
        this.worker = Thread.ofVirtual().name("batcher-" + name).start(this::drainLoop);
    }

    void add(T item) {
        queue.add(item);
    }

    void addAll(Collection<T> items) {
        queue.addAll(items);
    }

    @SuppressWarnings("unchecked")
    private void drainLoop() {
        List<Object> taken = new ArrayList<>();
        List<T> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, maxBatch - 1);
            for (Object o : taken) {
                if (o == STOP) {
                    stopping = true;
                } else {
                    batch.add((T) o);
                }
            }
            taken.clear();
            if (!batch.isEmpty()) {
                deliver(batch);
                batch.clear();
            }
        }
    }

    private void deliver(List<T> batch) {
        try {
            sink.accept(List.copyOf(batch));
        } catch (RuntimeException e) {
            log.warn("{}: a batch of {} failed and is left to be repaired later", name, batch.size(), e);
        }
    }

    /** Delivers what was added before, then stops. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            if (!worker.join(CLOSE_WAIT)) {
                log.warn("{}: still delivering after {}; the rest is left to be repaired later", name, CLOSE_WAIT);
                worker.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
