package dev.tasklane.core.handler;

import dev.tasklane.core.model.TaskError;
import java.time.Duration;

/** An attempt that ended in an error the task should record. */
public class TaskFailedException extends Exception {
    private final TaskError error;
    private final String node;
    private final Duration retryAfter;

    /**
     * @param node       the model node that was called, or null
     * @param retryAfter when the model asked to be called again (Retry-After), or null
     */
    public TaskFailedException(TaskError error, String node, Duration retryAfter, Throwable cause) {
        super(error.message(), cause);
        this.error = error;
        this.node = node;
        this.retryAfter = retryAfter;
    }

    public TaskFailedException(TaskError error, Throwable cause) {
        this(error, null, null, cause);
    }

    public TaskError error() {
        return error;
    }

    public String node() {
        return node;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
