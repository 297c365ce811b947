package dev.tasklane.core.port;

import dev.tasklane.core.model.TaskEvent;
import java.util.List;
import java.util.UUID;

/** The per-task log behind GET /v1/tasks/{id}/logs. */
public interface TaskEventLog {

    void append(TaskEvent event);

    /** Oldest first, starting with "queued on lane L" at the task's creation; empty for an unknown task. */
    List<TaskEvent> list(UUID taskId);
}
