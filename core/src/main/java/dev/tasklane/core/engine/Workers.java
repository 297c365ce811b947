package dev.tasklane.core.engine;

import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.core.port.Delivery;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lane workers of one process and the jobs that keep them honest: lease
 * renewal, the lease sweep, the promotion of due retries, the reconciler, and the
 * cancel signals. Started together, stopped together.
 */
public final class Workers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workers.class);
    private static final Duration HAND_BACK_WAIT = Duration.ofSeconds(10);
    private static final Duration READER_STOP_WAIT = Duration.ofSeconds(5);

    private final List<LaneConfig> lanes;
    private final EnginePorts ports;
    private final WorkerSettings settings;
    private final InFlight inFlight = new InFlight();
    private final ScheduledExecutorService timers;
    private final ScheduledExecutorService housekeeping;
    private final List<LaneWorker> workers;
    private final Batcher<Delivery> acks;
    private final LocalLanes localLanes;
    private AutoCloseable cancelSubscription;
    private boolean connected;

    /** @param localLanes where this process's submissions find these workers, to start tasks on them directly */
    public Workers(List<LaneConfig> lanes, EnginePorts ports, HandlerRegistry handlers, WorkerSettings settings,
                   LocalLanes localLanes) {
        this.lanes = List.copyOf(lanes);
        this.localLanes = localLanes;
        this.ports = ports;
        this.settings = settings;
        this.timers = AttemptTimers.create();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("tasklane-housekeeping").factory());
        this.acks = new Batcher<>("acks", 1000, ports.queue()::ack);
        TaskRunner runner = new TaskRunner(ports, handlers, inFlight, timers, settings, acks);
        this.workers = this.lanes.stream()
                .map(l -> new LaneWorker(l, ports.queue(), runner, settings.workerId())).toList();
    }

    /**
     * Subscribes to cancel signals, makes the lanes and opens their readers' connections,
     * without reading: what has to be in place before the first task can be taken. Like
     * BullMQ's {@code waitUntilReady}, it lets a caller time the work apart from the connecting.
     * {@link #start()} does it first when it was not done.
     */
    public void connect() {
        if (connected) {
            return;
        }
        if (cancelSubscription == null) {
            cancelSubscription = ports.cancelSignals().subscribe(id -> inFlight.abort(id, AbortReason.CANCELLED));
        }
        workers.forEach(LaneWorker::connect);
        connected = true;
    }

    public void start() {
        connect();
        Duration shortestLease = lanes.stream().map(LaneConfig::lease).min(Comparator.naturalOrder())
                .orElse(Duration.ofSeconds(30));
        TaskPublisher publisher = new TaskPublisher(ports.queue());
        every(shortestLease.dividedBy(3), "lease renewal",
                new LeaseKeeper(ports.tasks(), inFlight, lanes, ports.clock()));
        every(shortestLease.dividedBy(2), "lease sweep", new LeaseSweeper(ports.tasks(), publisher, ports.clock()));
        every(settings.promoteInterval(), "promotion of due tasks",
                new DelayedPromoter(ports.tasks(), publisher, ports.clock()));
        every(settings.reconcileAfter().dividedBy(2), "reconciler", new Reconciler(ports.tasks(), ports.queue(),
                publisher, lanes, settings.reconcileAfter(), ports.clock()));
        workers.forEach(LaneWorker::start);
        workers.forEach(localLanes::register);
        log.info("workers started for lanes {}", workers.stream().map(LaneWorker::lane).toList());
    }

    private void every(Duration period, String name, Runnable job) {
        long millis = Math.max(50, period.toMillis());
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.warn("{} failed; it runs again in {} ms", name, millis, e);
                ports.systemLog().record(SystemLogEntry.of(ports.clock().instant(), "WARN", "worker",
                        settings.workerId(), name + " failed", e));
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }


    /**
     * Stops reading every lane and lets calls in flight finish within the grace
     * period; what still runs then is aborted and handed back to its lane at once.
     */
    @Override
    public void close() {
        workers.forEach(localLanes::unregister);
        workers.forEach(LaneWorker::stopReading);
        try {
            for (LaneWorker w : workers) {
                // a read in progress ends within its block time; nothing is launched after this
                if (!w.awaitReaderStopped(READER_STOP_WAIT)) {
                    log.warn("lane {}: its reader did not stop within {}", w.lane(), READER_STOP_WAIT);
                }
            }
            if (!awaitIdle(settings.grace())) {
                log.warn("{} task(s) still running after the grace period of {}; handing them back",
                        inFlight.size(), settings.grace());
                inFlight.abortAll(AbortReason.SHUTDOWN);
                if (!awaitIdle(HAND_BACK_WAIT)) {
                    log.error("{} task(s) did not stop; their leases will expire and hand them on", inFlight.size());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            acks.close();
            closeQuietly(cancelSubscription);
            housekeeping.shutdownNow();
            timers.shutdownNow();
        }
    }

    private boolean awaitIdle(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (LaneWorker w : workers) {
            if (!w.awaitTasksDone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing the cancel subscription failed", e);
        }
    }
}
