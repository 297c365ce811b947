package dev.tasklane.core.handler;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskResult;

/** Answers its input at once: the cheapest task there is, for diagnostics and benchmarks. */
public final class NoopHandler implements TaskHandler {
    @Override
    public String type() {
        return "noop";
    }

    @Override
    public TaskResult handle(Task task, LaneConfig lane) {
        return new TaskResult(null, null, task.input(), null, null);
    }
}
