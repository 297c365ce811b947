package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts this process is running, so that lease renewal, cancellation,
 * timeouts and shutdown can find the thread of a task.
 */
public final class InFlight {
    private final Map<UUID, Attempt> byTask = new ConcurrentHashMap<>();

    /** One running attempt and the thread that runs it. */
    public static final class Attempt {
        private final Task task;
        private final Thread thread;
        private volatile AbortReason abortReason;

        Attempt(Task task, Thread thread) {
            this.task = task;
            this.thread = thread;
        }

        public Task task() {
            return task;
        }

        /** The reason it was aborted, or null while it was not. The first reason wins. */
        public AbortReason abortReason() {
            return abortReason;
        }

        synchronized void abort(AbortReason reason) {
            if (abortReason == null) {
                abortReason = reason;
                thread.interrupt();
            }
        }
    }

    Attempt start(Task task) {
        Attempt attempt = new Attempt(task, Thread.currentThread());
        byTask.put(task.id(), attempt);
        return attempt;
    }

    void finish(Attempt attempt) {
        byTask.remove(attempt.task().id(), attempt);
    }

    /** Interrupts the task's attempt if this process runs it. */
    public void abort(UUID taskId, AbortReason reason) {
        Attempt attempt = byTask.get(taskId);
        if (attempt != null) {
            attempt.abort(reason);
        }
    }

    public void abortAll(AbortReason reason) {
        byTask.values().forEach(a -> a.abort(reason));
    }

    /** Whether the attempt still runs: its handler has not returned yet. */
    boolean isRunning(Attempt attempt) {
        return byTask.get(attempt.task().id()) == attempt;
    }

    public Collection<Attempt> attempts() {
        return List.copyOf(byTask.values());
    }

    public int size() {
        return byTask.size();
    }
}
