package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.LaneQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the lanes of tasks that are already committed as queued, one round trip per
 * lane and priority. A failure is only logged: the tasks stay queued in the database
 * and the reconciler publishes them again once it sees their entries missing.
 */
public final class TaskPublisher {
    private static final Logger log = LoggerFactory.getLogger(TaskPublisher.class);

    private final LaneQueue queue;

    public TaskPublisher(LaneQueue queue) {
        this.queue = queue;
    }

    /** @return how many ids were published */
    public int publish(List<Task> tasks) {
        Map<String, List<Task>> byStream = new LinkedHashMap<>();
        for (Task t : tasks) {
            byStream.computeIfAbsent(t.lane() + "\u0000" + t.priority().name(), k -> new ArrayList<>()).add(t);
        }
        int published = 0;
        for (List<Task> group : byStream.values()) {
            Task first = group.getFirst();
            try {
                queue.publish(first.lane(), first.priority(), group.stream().map(Task::id).toList());
                published += group.size();
            } catch (RuntimeException e) {
                log.warn("publishing {} task(s) to lane {} failed; they stay queued and are published again later",
                        group.size(), first.lane(), e);
            }
        }
        return published;
    }
}
