package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Running tasks whose lease expired (their worker died) go back to their lane, or fail when no attempt is left. */
final class LeaseSweeper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);
    private static final int BATCH = 500;

    private final TaskStore tasks;
    private final TaskPublisher publisher;
    private final Clock clock;

    LeaseSweeper(TaskStore tasks, TaskPublisher publisher, Clock clock) {
        this.tasks = tasks;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public void run() {
        List<Task> expired;
        do {
            expired = tasks.expireLeases(clock.instant(), BATCH);
            List<Task> requeued = expired.stream().filter(t -> t.status() == TaskStatus.QUEUED).toList();
            if (!expired.isEmpty()) {
                log.warn("{} task(s) had an expired lease: {} queued again, {} failed", expired.size(),
                        requeued.size(), expired.size() - requeued.size());
            }
            publisher.publish(requeued);
        } while (expired.size() == BATCH);
    }
}
