package dev.tasklane.core.handler;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.model.Conversation;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.port.ConversationStore;
import dev.tasklane.core.port.ModelCallException;
import dev.tasklane.core.port.ModelClient;
import dev.tasklane.core.port.ModelRequest;
import dev.tasklane.core.port.ModelResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Calls the lane's model with the whole conversation. Workers keep no state: the
 * history is read from the database for every attempt, so any worker can serve any turn.
 */
public final class ChatHandler implements TaskHandler {
    private final ConversationStore conversations;
    private final Map<String, ModelClient> clientsByProvider;
    private final NodePicker nodes = new NodePicker();

    public ChatHandler(ConversationStore conversations, Map<String, ModelClient> clientsByProvider) {
        this.conversations = conversations;
        this.clientsByProvider = Map.copyOf(clientsByProvider);
    }

    @Override
    public String type() {
        return "chat";
    }

    @Override
    public TaskResult handle(Task task, LaneConfig lane) throws TaskFailedException {
        ModelClient client = clientsByProvider.get(lane.provider());
        NodeConfig node = nodes.next(lane);
        if (client == null || node == null) {
            throw new TaskFailedException(new TaskError("no_node",
                    "lane " + lane.name() + " has no " + (client == null ? "client for provider " + lane.provider()
                            : "model node"), false), null);
        }
        Duration timeout = task.timeoutSeconds() != null ? Duration.ofSeconds(task.timeoutSeconds()) : lane.timeout();
        JsonNode params = task.input().get("params");
        ModelRequest request = new ModelRequest(node, task.model(), messagesFor(task),
                params instanceof ObjectNode object ? object : null, timeout);
        try {
            ModelResponse answer = client.complete(request);
            return new TaskResult(answer.text(), answer.reasoningText(), answer.raw(), answer.usage(), node.name());
        } catch (ModelCallException e) {
            throw new TaskFailedException(new TaskError(e.code(), e.getMessage(), e.retryable()), node.name(),
                    e.retryAfter(), e);
        }
    }

    /** system, earlier turns, this turn; or the client's own messages when it sent them. */
    List<ChatMessage> messagesFor(Task task) {
        JsonNode given = task.input().get("messages");
        List<ChatMessage> messages = new ArrayList<>();
        if (given != null && given.isArray()) {
            for (JsonNode m : given) {
                messages.add(new ChatMessage(m.path("role").asString(), m.path("content").asString()));
            }
            return messages;
        }
        String system = text(task.input(), "system");
        if (system == null && task.conversationId() != null) {
            system = conversations.find(task.tenantId(), task.conversationId())
                    .map(Conversation::systemPrompt).orElse(null);
        }
        if (system != null) {
            messages.add(new ChatMessage("system", system));
        }
        messages.addAll(conversations.historyBefore(task));
        messages.add(new ChatMessage("user", text(task.input(), "prompt")));
        return messages;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }
}
