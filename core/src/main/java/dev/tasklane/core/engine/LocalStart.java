package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A free slot of a lane worker in this process, held for one task while it is being
 * submitted. The task is written already claimed by that worker ({@link #claim}), so
 * its insert is its claim: once that commits, {@link #start} runs it without a stream
 * entry, a read or a claim of its own. If the task is not written (the insert failed,
 * or the submission replays an earlier one), {@link #release} gives the slot back.
 * Exactly one of the two is called.
 */
final class LocalStart {
    private final String workerId;
    private final Duration lease;
    private final Consumer<Task> runner;
    private final Runnable freeSlot;
    private boolean ended;

    LocalStart(String workerId, Duration lease, Consumer<Task> runner, Runnable freeSlot) {
        this.workerId = workerId;
        this.lease = lease;
        this.runner = runner;
        this.freeSlot = freeSlot;
    }

    /** The new task as this slot's worker claims it on creation. */
    Task claim(Task queued) {
        return queued.claimedOnCreation(workerId, queued.createdAt().plus(lease));
    }

    /** Runs the committed task {@link #claim} made. */
    void start(Task claimed) {
        end();
        runner.accept(claimed);
    }

    void release() {
        end();
        freeSlot.run();
    }

    private void end() {
        if (ended) {
            throw new IllegalStateException("this slot was started or released already");
        }
        ended = true;
    }
}
