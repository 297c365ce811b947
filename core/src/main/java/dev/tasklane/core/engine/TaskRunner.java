package dev.tasklane.core.engine;

import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.handler.TaskFailedException;
import dev.tasklane.core.handler.TaskHandler;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.port.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery, start to end: conditional claim, the handler under a timeout, then
 * the fenced write of what happened and only then the acknowledgement (invariants 2
 * and 3). A store or queue failure propagates without an acknowledgement, so the
 * entry stays pending, is reclaimed later, and the task is never lost.
 */
public final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
    /** What the outcomes written by the calling thread itself answer. */
    private static final CompletableFuture<Void> WRITTEN = CompletableFuture.completedFuture(null);

    private final EnginePorts ports;
    private final HandlerRegistry handlers;
    private final InFlight inFlight;
    private final ScheduledExecutorService timers;
    private final WorkerSettings settings;
    private final DeadLetters deadLetters;
    private final AttemptOutcomes outcomes;

    TaskRunner(EnginePorts ports, HandlerRegistry handlers, InFlight inFlight, ScheduledExecutorService timers,
               WorkerSettings settings, Batcher<Delivery> acks) {
        this.ports = ports;
        this.handlers = handlers;
        this.inFlight = inFlight;
        this.timers = timers;
        this.settings = settings;
        this.deadLetters = new DeadLetters(ports);
        this.outcomes = new AttemptOutcomes(ports, acks);
    }

    /**
     * Whether the delivery's task may be claimed at all: an entry that names no task, or
     * one delivered more often than allowed, is buried by {@link #bury} instead.
     */
    boolean claimable(Delivery delivery) {
        return delivery.taskId() != null && delivery.deliveries() <= settings.maxDeliveries();
    }

    /** Dead-letters and acknowledges a delivery that is not {@link #claimable}. */
    void bury(Delivery delivery) {
        if (delivery.taskId() == null) {
            deadLetters.bury(delivery, Optional.empty(), "the entry names no task id");
            return;
        }
        deadLetters.bury(delivery, ports.tasks().findById(delivery.taskId()), "delivered "
                + delivery.deliveries() + " times, over the limit of " + settings.maxDeliveries());
    }

    /**
     * The conditional claim of a claimable delivery's task. It is asked for at once and
     * answered once written, so the claims of one read share their writes; the answer may
     * complete on the store's writer thread, which must not be blocked.
     */
    CompletableFuture<Optional<Task>> claim(Delivery delivery, LaneConfig lane) {
        Instant now = ports.clock().instant();
        try {
            return ports.tasks().claim(delivery.taskId(), settings.workerId(), now.plus(lane.lease()), now);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Runs the task its claim won; a claim that won nothing leaves the entry nothing to do.
     *
     * @param callDone run once the handler has returned (or was aborted): the lane's slot
     *                 can take the next task while this one's outcome is written
     * @return completes once the outcome is written; a success's write is the store's to
     *         finish, so the calling thread is free as soon as the call returned
     */
    CompletableFuture<Void> process(Delivery delivery, Optional<Task> claimed, LaneConfig lane, Runnable callDone) {
        if (claimed.isEmpty()) {
            if (ports.tasks().findById(delivery.taskId()).isEmpty()) {
                deadLetters.bury(delivery, Optional.empty(), "task " + delivery.taskId() + " does not exist");
            } else {
                // ended, or held by another worker: this entry has nothing left to do
                outcomes.acknowledge(delivery);
            }
            return WRITTEN;
        }
        return run(claimed.get(), lane, delivery, callDone);
    }

    /** A task claimed by this worker in the write that created it ({@link LocalStart}): no claim of its own. */
    CompletableFuture<Void> processClaimed(Task task, Delivery delivery, LaneConfig lane, Runnable callDone) {
        return run(task, lane, delivery, callDone);
    }

    String workerId() {
        return settings.workerId();
    }

    private CompletableFuture<Void> run(Task task, LaneConfig lane, Delivery delivery, Runnable callDone) {
        Optional<TaskHandler> handler = handlers.get(task.type());
        if (delivery.deliveries() > 1) {
            outcomes.event(task, "INFO", "attempt " + task.attempt() + " runs a stream entry taken over ("
                    + delivery.entryId() + ", delivery " + delivery.deliveries() + ")");
        }
        if (handler.isEmpty()) {
            outcomes.failed(task, lane, delivery, new TaskFailedException(new TaskError("no_handler",
                    "no handler for task type " + task.type(), false), null));
            return WRITTEN;
        }
        Duration timeout = task.timeoutSeconds() != null ? Duration.ofSeconds(task.timeoutSeconds()) : lane.timeout();
        InFlight.Attempt attempt = inFlight.start(task);
        ScheduledFuture<?> deadline = timers.schedule(() -> attempt.abort(AbortReason.TIMEOUT),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        TaskResult result = null;
        TaskFailedException failure = null;
        try {
            result = handler.get().handle(task, lane);
        } catch (TaskFailedException e) {
            failure = e;
        } catch (RuntimeException e) {
            log.error("task {} (type {}) failed inside its handler", task.id(), task.type(), e);
            recordUnexpected("task " + task.id() + " failed inside its " + task.type() + " handler", e);
            failure = new TaskFailedException(new TaskError("internal_error",
                    "the worker failed while running the task", false), e);
        } finally {
            deadline.cancel(false);
            inFlight.finish(attempt);
            Thread.interrupted(); // an abort may have landed after the handler returned
            callDone.run();
        }
        AbortReason aborted = attempt.abortReason();
        if (aborted == null) {
            if (result != null) {
                return outcomes.succeeded(task, result, delivery);
            }
            outcomes.failed(task, lane, delivery, failure);
            return WRITTEN;
        }
        switch (aborted) {
            case TIMEOUT -> outcomes.failed(task, lane, delivery, new TaskFailedException(new TaskError("timeout",
                    "attempt " + task.attempt() + " ran over its timeout of " + timeout.toSeconds() + " s", true),
                    failure != null ? failure.node() : null, null, failure));
            case CANCELLED -> outcomes.cancelled(task, delivery);
            case LEASE_LOST -> outcomes.event(task, "WARN", "attempt " + task.attempt()
                    + " lost its lease; its call was aborted and nothing was written");
            case SHUTDOWN -> outcomes.handBack(task, delivery);
        }
        return WRITTEN;
    }

    private void recordUnexpected(String message, Throwable error) {
        ports.systemLog().record(SystemLogEntry.of(ports.clock().instant(), "ERROR", "worker", settings.workerId(),
                message, error));
    }
}
