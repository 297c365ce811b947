package dev.tasklane.server.api;

import dev.tasklane.core.engine.Cancellations;
import dev.tasklane.core.model.Batch;
import dev.tasklane.core.model.TaskStatus;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.core.port.BatchStore;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** GET /v1/batches/{id}: a request's tasks, their counts by status, and the batch status. */
@RestController
@ConditionalOnProperty(name = "tasklane.api", havingValue = "true")
public class BatchController {
    private final BatchStore batches;
    private final Cancellations cancellations;

    public BatchController(BatchStore batches, Cancellations cancellations) {
        this.batches = batches;
        this.cancellations = cancellations;
    }

    @Operation(summary = "Read a batch: status, counts and every task")
    @GetMapping("/v1/batches/{id}")
    public ObjectNode get(@PathVariable String id) {
        return json(find(id));
    }

    @Operation(summary = "Cancel every task of a batch that has not ended; answers the batch and how many were cancelled")
    @PostMapping("/v1/batches/{id}/cancel")
    public ObjectNode cancel(@PathVariable String id) {
        Batch batch = find(id);
        int cancelled = cancellations.cancelBatch(Tenants.DEFAULT, batch.id()).size();
        return json(find(id)).put("cancelled", cancelled);
    }

    private Batch find(String id) {
        return batches.find(Tenants.DEFAULT, JsonBody.idOrNotFound(id, "batch"))
                .orElseThrow(() -> ApiException.notFound("batch " + id));
    }

    private static ObjectNode json(Batch batch) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("batch_id", batch.id().toString());
        body.put("conversation_id", TaskJson.string(batch.conversationId()));
        body.put("status", batch.status());
        body.put("created_at", TaskJson.time(batch.createdAt()));
        ObjectNode counts = body.putObject("counts");
        for (Map.Entry<TaskStatus, Integer> c : batch.counts().entrySet()) {
            counts.put(c.getKey().wire(), c.getValue());
        }
        ArrayNode tasks = body.putArray("tasks");
        batch.tasks().forEach(t -> tasks.add(TaskJson.of(t)));
        return body;
    }
}
