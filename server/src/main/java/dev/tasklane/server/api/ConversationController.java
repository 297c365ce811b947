package dev.tasklane.server.api;

import dev.tasklane.core.model.Conversation;
import dev.tasklane.core.model.ConversationMessage;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.core.port.ConversationStore;
import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Conversations: list, history, delete. */
@RestController
@ConditionalOnProperty(name = "tasklane.api", havingValue = "true")
public class ConversationController {
    private final ConversationStore conversations;

    public ConversationController(ConversationStore conversations) {
        this.conversations = conversations;
    }

    @Operation(summary = "List conversations, newest activity first")
    @GetMapping("/v1/conversations")
    public ObjectNode list(@RequestParam(required = false) String limit,
                           @RequestParam(required = false) String cursor) {
        int size = TaskListQuery.limit(limit);
        Page<Conversation> page;
        try {
            page = conversations.list(Tenants.DEFAULT, size, cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("cursor", "cursor is not one this server gave out");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        page.items().forEach(c -> data.add(summary(c)));
        body.put("next_cursor", page.nextCursor());
        return body;
    }

    @Operation(summary = "A conversation's user turns and successful answers, in order")
    @GetMapping("/v1/conversations/{id}/history")
    public ObjectNode history(@PathVariable String id) {
        Conversation conversation = find(id);
        ObjectNode body = summary(conversation);
        ArrayNode messages = body.putArray("messages");
        for (ConversationMessage m : conversations.messages(Tenants.DEFAULT, conversation.id())) {
            messages.addObject()
                    .put("role", m.role())
                    .put("content", m.content())
                    .put("model", m.model())
                    .put("task_id", TaskJson.string(m.taskId()))
                    .put("batch_id", TaskJson.string(m.batchId()))
                    .put("created_at", TaskJson.time(m.createdAt()));
        }
        return body;
    }

    @Operation(summary = "Delete a conversation and its messages (its tasks stay)")
    @DeleteMapping("/v1/conversations/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        UUID conversationId = JsonBody.idOrNotFound(id, "conversation");
        if (!conversations.delete(Tenants.DEFAULT, conversationId)) {
            throw ApiException.notFound("conversation " + id);
        }
        return ResponseEntity.noContent().build();
    }

    private Conversation find(String id) {
        return conversations.find(Tenants.DEFAULT, JsonBody.idOrNotFound(id, "conversation"))
                .orElseThrow(() -> ApiException.notFound("conversation " + id));
    }

    private static ObjectNode summary(Conversation c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("conversation_id", c.id().toString());
        o.put("system", c.systemPrompt());
        o.put("created_at", TaskJson.time(c.createdAt()));
        o.put("last_active_at", TaskJson.time(c.lastActiveAt()));
        return o;
    }
}
