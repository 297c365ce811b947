package dev.tasklane.core.port;

import dev.tasklane.core.model.Usage;
import tools.jackson.databind.JsonNode;

/**
 * A model's answer.
 *
 * @param text          the assistant message content
 * @param reasoningText {@code reasoning_content} when the model sends it, else null
 * @param raw           the whole response body as received
 */
public record ModelResponse(String text, String reasoningText, Usage usage, JsonNode raw) {}
