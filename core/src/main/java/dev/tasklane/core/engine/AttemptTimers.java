package dev.tasklane.core.engine;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The timer that aborts attempts running over their timeout. */
final class AttemptTimers {

    private AttemptTimers() {}

    /**
     * One daemon thread. A timer cancelled because its attempt ended leaves the queue at once:
     * left there until it would have fired, every ended attempt's timer and the task it holds
     * would stay on the heap for a whole timeout (minutes), hundreds of thousands of them at a
     * few thousand tasks a second.
     */
    static ScheduledThreadPoolExecutor create() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("tasklane-timeouts").factory());
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }
}
