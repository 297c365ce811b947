package dev.tasklane.server.api;

import dev.tasklane.core.engine.DeadLetterReplay;
import dev.tasklane.core.model.DeadLetter;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.port.DeadLetterStore;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Operating: stream entries no worker could process, with the reason; replay or delete them. */
@RestController
@ConditionalOnProperty(name = "tasklane.api", havingValue = "true")
public class DeadLetterController {
    private final DeadLetterStore deadLetters;
    private final DeadLetterReplay replay;

    public DeadLetterController(DeadLetterStore deadLetters, DeadLetterReplay replay) {
        this.deadLetters = deadLetters;
        this.replay = replay;
    }

    @Operation(summary = "List dead letters, newest first")
    @GetMapping("/v1/dead-letters")
    public ObjectNode list(@RequestParam(required = false) String lane, @RequestParam(required = false) String limit,
                           @RequestParam(required = false) String cursor) {
        Page<DeadLetter> page;
        try {
            page = deadLetters.list(lane, TaskListQuery.limit(limit), cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("cursor", "cursor is not one this server gave out");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        for (DeadLetter d : page.items()) {
            data.addObject().put("id", d.id().toString()).put("lane", d.lane()).put("entry_id", d.entryId())
                    .put("task_id", TaskJson.string(d.taskId())).put("reason", d.reason())
                    .put("payload", d.payload()).put("deliveries", d.deliveries())
                    .put("created_at", TaskJson.time(d.createdAt()));
        }
        body.put("next_cursor", page.nextCursor());
        return body;
    }

    @Operation(summary = "Put a dead letter's task back on its lane (when it has not ended) and remove the letter")
    @PostMapping("/v1/dead-letters/{id}/replay")
    public ObjectNode replay(@PathVariable String id) {
        try {
            return JsonNodeFactory.instance.objectNode().put("replayed", true)
                    .set("task", TaskJson.of(replay.replay(JsonBody.idOrNotFound(id, "dead letter"))));
        } catch (DeadLetterReplay.NotReplayableException e) {
            throw new ApiException(HttpStatus.CONFLICT, null, e.getMessage());
        }
    }

    @Operation(summary = "Delete a dead letter")
    @DeleteMapping("/v1/dead-letters/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        if (!deadLetters.delete(JsonBody.idOrNotFound(id, "dead letter"))) {
            throw ApiException.notFound("dead letter " + id);
        }
        return ResponseEntity.noContent().build();
    }
}
