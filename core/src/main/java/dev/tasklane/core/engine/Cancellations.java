package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.port.CancelSignals;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels tasks: the database first (a queued task ends at once, a running one's
 * later writes fail their fence), then a signal so the worker running it aborts
 * the model call now rather than at its next lease renewal.
 */
public final class Cancellations {
    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);

    private final TaskStore tasks;
    private final CancelSignals signals;
    private final Clock clock;

    public Cancellations(TaskStore tasks, CancelSignals signals, Clock clock) {
        this.tasks = tasks;
        this.signals = signals;
        this.clock = clock;
    }

    /** Empty for an unknown task; otherwise what happened (cancelled false: it had already ended). */
    public Optional<TaskStore.Cancellation> cancelTask(String tenantId, UUID taskId) {
        Optional<TaskStore.Cancellation> outcome = tasks.cancel(tenantId, taskId, clock.instant());
        outcome.filter(c -> c.cancelled() && c.previous() == TaskStatus.RUNNING)
                .ifPresent(c -> signal(c.task().id()));
        return outcome;
    }

    /** Cancels every task of the batch that has not ended; returns those it cancelled. */
    public List<Task> cancelBatch(String tenantId, UUID batchId) {
        List<Task> cancelled = tasks.cancelBatch(tenantId, batchId, clock.instant());
        cancelled.forEach(t -> signal(t.id()));
        return cancelled;
    }

    private void signal(UUID taskId) {
        try {
            signals.publish(taskId);
        } catch (RuntimeException e) {
            // the task is cancelled in the database already; its worker sees it at the next lease renewal
            log.warn("cancel signal for task {} could not be sent", taskId, e);
        }
    }
}
