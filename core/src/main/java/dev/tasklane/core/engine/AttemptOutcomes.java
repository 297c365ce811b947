package dev.tasklane.core.engine;

import dev.tasklane.core.handler.TaskFailedException;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskEvent;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.port.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * Writes how an attempt ended, fenced by its attempt number, and acknowledges the
 * entry only when the write held. A worker whose fence failed has lost the task to
 * someone else: it neither writes nor acknowledges.
 */
final class AttemptOutcomes {
    private final EnginePorts ports;
    private final TaskPublisher publisher;
    private final Batcher<Delivery> acks;
    private final RandomGenerator random = RandomGenerator.getDefault();

    /** @param acks where acknowledgements go once their write committed */
    AttemptOutcomes(EnginePorts ports, Batcher<Delivery> acks) {
        this.ports = ports;
        this.publisher = new TaskPublisher(ports.queue());
        this.acks = acks;
    }

    /**
     * The store logs the success with the result. Completes once the result is written and
     * its entry handed to the acknowledgements, so the caller need not wait on a thread.
     */
    CompletableFuture<Void> succeeded(Task task, TaskResult result, Delivery delivery) {
        return ports.tasks().complete(task.id(), task.attempt(), result, now()).thenCompose(stored -> {
            if (stored) {
                acknowledge(delivery);
                return CompletableFuture.completedFuture(null);
            }
            // the answer came on the store's writer thread, and logging is a write of its own
            return CompletableFuture.runAsync(() -> fenceLost(task, "result"), AttemptOutcomes::onVirtualThread);
        });
    }

    private static void onVirtualThread(Runnable work) {
        Thread.ofVirtual().name("fence-lost").start(work);
    }

    /** Retries while the error allows it and attempts remain, else ends the task as failed. */
    void failed(Task task, LaneConfig lane, Delivery delivery, TaskFailedException failure) {
        TaskError error = failure.error();
        int maxAttempts = task.maxAttempts() != null ? task.maxAttempts() : lane.maxAttempts();
        String what = "attempt " + task.attempt() + " failed" + (failure.node() != null ? " on node "
                + failure.node() : "") + ": " + error.code() + ": " + error.message();
        if (error.retryable() && task.attempt() < maxAttempts) {
            Duration wait = lane.backoff().delay(task.attempt(), failure.retryAfter(), random);
            Instant now = now();
            if (ports.tasks().retryLater(task.id(), task.attempt(), error, now.plus(wait), now)) {
                event(task, "WARN", what + "; attempt " + (task.attempt() + 1) + " of " + maxAttempts + " in "
                        + wait.toMillis() + " ms (" + (failure.retryAfter() != null ? "the model's Retry-After"
                        : "back-off") + ")");
                acknowledge(delivery);
            } else {
                fenceLost(task, "retry");
            }
            return;
        }
        if (ports.tasks().fail(task.id(), task.attempt(), error, now())) {
            event(task, "ERROR", what + (error.retryable() ? "; no attempts left (" + maxAttempts + ")"
                    : "; not retryable"));
            acknowledge(delivery);
        } else {
            fenceLost(task, "failure");
        }
    }

    /** The client cancelled it: the database says so already; the entry has nothing left to do. */
    void cancelled(Task task, Delivery delivery) {
        event(task, "INFO", "attempt " + task.attempt() + " aborted: the task was cancelled");
        acknowledge(delivery);
    }

    /** Shutdown: the task goes back to its lane at once instead of waiting for its lease to run out. */
    void handBack(Task task, Delivery delivery) {
        if (ports.tasks().handBack(task.id(), task.attempt(), now())) {
            event(task, "WARN", "attempt " + task.attempt() + " handed back: worker stopping");
            publisher.publish(List.of(task));
            acknowledge(delivery);
        } else {
            fenceLost(task, "hand-back");
        }
    }

    void event(Task task, String level, String message) {
        ports.events().append(new TaskEvent(task.id(), now(), level, message, task.attempt()));
    }

    private void fenceLost(Task task, String what) {
        event(task, "WARN", "attempt " + task.attempt() + " no longer holds the task; its " + what
                + " was discarded");
    }

    /** Acknowledges the delivery's stream entry, if it came from one. */
    void acknowledge(Delivery delivery) {
        if (delivery.hasEntry()) {
            acks.add(delivery);
        }
    }

    private Instant now() {
        return ports.clock().instant();
    }
}
