package dev.tasklane.core.engine;

import dev.tasklane.core.model.Priority;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated chat request: one prompt for one or more models.
 *
 * @param models         one model, or several for a fan-out, in the client's order
 * @param modelField     the model field exactly as the client sent it
 * @param copies         copies per model (n), 1..8
 * @param conversationId the conversation to continue, or null to start one
 * @param params         passed through to the model; may be null
 * @param idempotencyKey the client's key, or null
 */
public record ChatSubmit(String tenantId, String prompt, List<String> models, String modelField, int copies,
                         UUID conversationId, String system, Priority priority, ObjectNode params,
                         String idempotencyKey) {}
