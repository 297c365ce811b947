package dev.tasklane.core.handler;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskResult;

/** Runs one attempt of one task type. Called on a virtual thread; may block. */
public interface TaskHandler {

    /** The task type it serves, e.g. {@code chat}. */
    String type();

    TaskResult handle(Task task, LaneConfig lane) throws TaskFailedException;
}
