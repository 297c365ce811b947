package dev.tasklane.core.handler;

import dev.tasklane.core.model.TaskError;

/** An attempt that ended in an error the task should record. */
public class TaskFailedException extends Exception {
    private final TaskError error;

    public TaskFailedException(TaskError error, Throwable cause) {
        super(error.message(), cause);
        this.error = error;
    }

    public TaskError error() {
        return error;
    }
}
