package dev.tasklane.core.model;

import tools.jackson.databind.JsonNode;

/**
 * What a successful attempt produced.
 *
 * @param responseText  the answer's text (null for tasks without one)
 * @param reasoningText a reasoning model's thinking, when the model reports it
 * @param output        structured output (the handler's JSON)
 * @param usage         token counts, when known
 * @param node          the model node that answered, when a model was called
 */
public record TaskResult(String responseText, String reasoningText, JsonNode output, Usage usage, String node) {}
