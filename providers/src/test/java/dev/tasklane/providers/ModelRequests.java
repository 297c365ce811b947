package dev.tasklane.providers;

import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.port.ModelRequest;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Builds the model requests the provider tests send. */
final class ModelRequests {

    static final String MODEL = "qwen2.5:7b";
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ModelRequests() {}

    static NodeConfig node(String url, String apiKey) {
        return new NodeConfig("node-a", url, apiKey, 1, 0);
    }

    static ModelRequest ask(String url, String prompt) {
        return ask(node(url, null), prompt, null, TIMEOUT);
    }

    static ModelRequest ask(NodeConfig node, String prompt, ObjectNode params, Duration timeout) {
        return new ModelRequest(node, MODEL, List.of(new ChatMessage("user", prompt)), params, timeout);
    }
}
