package dev.tasklane.core.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tasks one request created, with its status derived from theirs. */
public record Batch(UUID id, String tenantId, UUID conversationId, Instant createdAt, List<Task> tasks) {

    public Map<TaskStatus, Integer> counts() {
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            counts.put(s, 0);
        }
        for (Task t : tasks) {
            counts.merge(t.status(), 1, Integer::sum);
        }
        return counts;
    }

    /** running until every task ended; then succeeded (all did), failed (none did) or partial. */
    public String status() {
        Map<TaskStatus, Integer> c = counts();
        if (tasks.stream().anyMatch(t -> !t.status().isTerminal())) {
            return "running";
        }
        int ok = c.get(TaskStatus.SUCCEEDED);
        if (ok == tasks.size()) {
            return "succeeded";
        }
        return ok == 0 ? "failed" : "partial";
    }
}
