package dev.tasklane.core.engine;

import dev.tasklane.core.model.Priority;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated request for one task of any type. Either {@code model} or {@code lane} names where it runs.
 *
 * @param maxAttempts    null takes the lane's
 * @param timeoutSeconds null takes the lane's
 */
public record TaskSubmit(String tenantId, String type, String model, String lane, ObjectNode input,
                         Priority priority, Integer maxAttempts, Integer timeoutSeconds, String idempotencyKey,
                         JsonNode metadata) {}
