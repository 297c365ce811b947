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
     * @param callDone run once the handler has returned (or was aborted): the lane's slot
     *                 can take the next task while this one's outcome is written
     */
    void process(Delivery delivery, LaneConfig lane, Runnable callDone) {
        if (delivery.taskId() == null) {
            deadLetters.bury(delivery, Optional.empty(), "the entry names no task id");
            return;
        }
        if (delivery.deliveries() > settings.maxDeliveries()) {
            deadLetters.bury(delivery, ports.tasks().findById(delivery.taskId()), "delivered "
                    + delivery.deliveries() + " times, over the limit of " + settings.maxDeliveries());
            return;
        }
        Instant now = ports.clock().instant();
        Optional<Task> claimed = ports.tasks().claim(delivery.taskId(), settings.workerId(), now.plus(lane.lease()),
                now);
        if (claimed.isEmpty()) {
            if (ports.tasks().findById(delivery.taskId()).isEmpty()) {
                deadLetters.bury(delivery, Optional.empty(), "task " + delivery.taskId() + " does not exist");
            } else {
                // ended, or held by another worker: this entry has nothing left to do
                outcomes.acknowledge(delivery);
            }
            return;
        }
        run(claimed.get(), lane, delivery, callDone);
    }

    /** A task claimed by this worker in the write that created it ({@link LocalStart}): no claim of its own. */
    void processClaimed(Task task, Delivery delivery, LaneConfig lane, Runnable callDone) {
        run(task, lane, delivery, callDone);
    }

    String workerId() {
        return settings.workerId();
    }

    private void run(Task task, LaneConfig lane, Delivery delivery, Runnable callDone) {
        Optional<TaskHandler> handler = handlers.get(task.type());
        if (delivery.deliveries() > 1) {
            outcomes.event(task, "INFO", "attempt " + task.attempt() + " runs a stream entry taken over ("
                    + delivery.entryId() + ", delivery " + delivery.deliveries() + ")");
        }
        if (handler.isEmpty()) {
            outcomes.failed(task, lane, delivery, new TaskFailedException(new TaskError("no_handler",
                    "no handler for task type " + task.type(), false), null));
            return;
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
                outcomes.succeeded(task, result, delivery);
            } else {
                outcomes.failed(task, lane, delivery, failure);
            }
            return;
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
    }

    private void recordUnexpected(String message, Throwable error) {
        ports.systemLog().record(SystemLogEntry.of(ports.clock().instant(), "ERROR", "worker", settings.workerId(),
                message, error));
    }
}
