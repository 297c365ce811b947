package dev.tasklane.server.api;

import dev.tasklane.core.engine.Cancellations;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskEvent;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.core.port.TaskEventLog;
import dev.tasklane.core.port.TaskStore;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Tasks of any type: read one, list, read its log, cancel. Submitting is {@link TaskSubmitFilter}. */
@RestController
@ConditionalOnProperty(name = "tasklane.api", havingValue = "true")
public class TaskController {
    private final Cancellations cancellations;
    private final TaskStore tasks;
    private final TaskEventLog events;

    public TaskController(Cancellations cancellations, TaskStore tasks, TaskEventLog events) {
        this.cancellations = cancellations;
        this.tasks = tasks;
        this.events = events;
    }

    @Operation(summary = "Cancel a task: a queued one ends at once, a running one has its model call aborted")
    @PostMapping("/v1/tasks/{id}/cancel")
    public ObjectNode cancel(@PathVariable String id) {
        TaskStore.Cancellation outcome = cancellations.cancelTask(Tenants.DEFAULT, JsonBody.idOrNotFound(id, "task"))
                .orElseThrow(() -> ApiException.notFound("task " + id));
        if (!outcome.cancelled()) {
            throw new ApiException(HttpStatus.CONFLICT, null,
                    "task " + id + " has already ended (" + outcome.task().status().wire() + ")");
        }
        return TaskJson.of(outcome.task());
    }

    @Operation(summary = "Read a task: status, answer, error, usage")
    @GetMapping("/v1/tasks/{id}")
    public ObjectNode get(@PathVariable String id) {
        return TaskJson.of(find(id));
    }

    @Operation(summary = "List tasks, newest first, with filters and a cursor")
    @GetMapping("/v1/tasks")
    public ObjectNode list(@RequestParam Map<String, String> query) {
        Page<Task> page = tasks.list(Tenants.DEFAULT, TaskListQuery.parse(query));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        page.items().forEach(t -> data.add(TaskJson.of(t)));
        body.put("next_cursor", page.nextCursor() == null ? null : TaskListQuery.cursor(page.nextCursor()));
        return body;
    }

    @Operation(summary = "What happened to a task: queued, claimed, node, errors")
    @GetMapping("/v1/tasks/{id}/logs")
    public ObjectNode logs(@PathVariable String id) {
        Task task = find(id);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        for (TaskEvent e : events.list(task.id())) {
            data.addObject().put("ts", e.ts().toString()).put("level", e.level()).put("message", e.message())
                    .put("attempt", e.attempt());
        }
        return body;
    }

    private Task find(String id) {
        UUID taskId = JsonBody.idOrNotFound(id, "task");
        return tasks.find(Tenants.DEFAULT, taskId).orElseThrow(() -> ApiException.notFound("task " + id));
    }
}
