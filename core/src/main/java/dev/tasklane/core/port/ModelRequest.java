package dev.tasklane.core.port;

import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.model.ChatMessage;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One call to a model.
 *
 * @param params  passed through to the model as top-level fields (temperature, max_tokens, ...); may be null
 * @param timeout bounds the whole call; connection set-up has its own, shorter bound
 */
public record ModelRequest(NodeConfig node, String model, List<ChatMessage> messages, ObjectNode params,
                           Duration timeout) {}
