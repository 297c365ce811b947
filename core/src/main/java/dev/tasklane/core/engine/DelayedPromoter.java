package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.util.List;

/** Scheduled tasks whose time has come (a retry's back-off ended) are queued and published. */
final class DelayedPromoter implements Runnable {
    private static final int BATCH = 1000;

    private final TaskStore tasks;
    private final TaskPublisher publisher;
    private final Clock clock;

    DelayedPromoter(TaskStore tasks, TaskPublisher publisher, Clock clock) {
        this.tasks = tasks;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void run() {
        List<Task> due;
        do {
            due = tasks.promoteDue(clock.instant(), BATCH);
            publisher.publish(due);
        } while (due.size() == BATCH);
    }
}
