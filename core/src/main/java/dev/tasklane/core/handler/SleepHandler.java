package dev.tasklane.core.handler;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskResult;
import tools.jackson.databind.JsonNode;

/** Waits {@code input.ms} milliseconds, then answers its input: a model call's stand-in for benchmarks. */
public final class SleepHandler implements TaskHandler {
    @Override
    public String type() {
        return "sleep";
    }

    @Override
    public TaskResult handle(Task task, LaneConfig lane) throws TaskFailedException {
        JsonNode ms = task.input() == null ? null : task.input().get("ms");
        long millis = ms != null && ms.canConvertToLong() ? ms.asLong() : 0;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException(new TaskError("cancelled", "sleep interrupted", true), e);
        }
        return new TaskResult(null, null, task.input(), null, null);
    }
}
