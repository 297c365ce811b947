package dev.tasklane.core.engine;

import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.handler.TaskFailedException;
import dev.tasklane.core.handler.TaskHandler;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskEvent;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.port.Delivery;
import dev.tasklane.core.port.LaneQueue;
import dev.tasklane.core.port.TaskEventLog;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery, start to end: conditional claim, handler, fenced result write,
 * then the acknowledgement (invariants 2 and 3). A store or queue failure
 * propagates without an acknowledgement, so the entry stays pending and the
 * task is never lost.
 */
public final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final TaskStore tasks;
    private final TaskEventLog events;
    private final LaneQueue queue;
    private final HandlerRegistry handlers;
    private final String workerId;
    private final Clock clock;

    public TaskRunner(TaskStore tasks, TaskEventLog events, LaneQueue queue, HandlerRegistry handlers,
                      String workerId, Clock clock) {
        this.tasks = tasks;
        this.events = events;
        this.queue = queue;
        this.handlers = handlers;
        this.workerId = workerId;
        this.clock = clock;
    }

    public void process(Delivery delivery, LaneConfig lane) {
        if (delivery.taskId() == null) {
            log.warn("lane {}: entry {} names no task ({}); acknowledged and dropped",
                    lane.name(), delivery.entryId(), delivery.payload());
            queue.ack(List.of(delivery));
            return;
        }
        Instant now = clock.instant();
        Optional<Task> claimed = tasks.claim(delivery.taskId(), workerId, now.plus(lane.lease()), now);
        if (claimed.isEmpty()) {
            // ended, taken by another worker, or unknown: this entry has nothing left to do
            queue.ack(List.of(delivery));
            return;
        }
        Task task = claimed.get();
        append(task, "INFO", "claimed by worker " + workerId);
        run(task, lane);
        queue.ack(List.of(delivery));
    }

    private void run(Task task, LaneConfig lane) {
        Optional<TaskHandler> handler = handlers.get(task.type());
        if (handler.isEmpty()) {
            finishFailed(task, new TaskError("no_handler", "no handler for task type " + task.type(), false));
            return;
        }
        long started = System.nanoTime();
        try {
            TaskResult result = handler.get().handle(task, lane);
            String took = Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms";
            if (tasks.complete(task.id(), task.attempt(), result, clock.instant())) {
                append(task, "INFO", "succeeded" + (result.node() != null ? " on node " + result.node() : "")
                        + " in " + took);
            } else {
                append(task, "WARN", "result discarded: attempt " + task.attempt() + " no longer holds the task");
            }
        } catch (TaskFailedException e) {
            finishFailed(task, e.error());
        } catch (RuntimeException e) {
            log.error("task {} (type {}) failed inside its handler", task.id(), task.type(), e);
            finishFailed(task, new TaskError("internal_error", "the worker failed while running the task", false));
        }
    }

    private void finishFailed(Task task, TaskError error) {
        if (tasks.fail(task.id(), task.attempt(), error, clock.instant())) {
            append(task, "ERROR", "failed: " + error.code() + ": " + error.message());
        } else {
            append(task, "WARN", "failure discarded: attempt " + task.attempt() + " no longer holds the task");
        }
    }

    private void append(Task task, String level, String message) {
        events.append(new TaskEvent(task.id(), clock.instant(), level, message, task.attempt()));
    }
}
