package dev.tasklane.server.api;

import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.model.Tenants;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The body of POST /v1/tasks, checked field by field. */
final class TaskRequestParser {
    /** Fields of the contract whose features come in later versions: refused rather than silently ignored. */
    private static final List<String> NOT_YET = List.of("run_at", "depends_on", "callback_url");

    private final long maxPromptBytes;

    TaskRequestParser(long maxPromptBytes) {
        this.maxPromptBytes = maxPromptBytes;
    }

    TaskSubmit parse(JsonBody body, String idempotencyHeader) {
        for (String field : NOT_YET) {
            if (body.has(field) && !isEmptyList(body.root().get(field))) {
                throw notYet(field);
            }
        }
        Integer delay = body.integer("delay_seconds", 0, 366 * 24 * 3600);
        if (delay != null && delay > 0) {
            throw notYet("delay_seconds");
        }
        String type = body.requiredString("type");
        ObjectNode input = body.object("input");
        if (input == null) {
            input = JsonNodeFactory.instance.objectNode();
        }
        if (type.equals("chat")) {
            checkChatInput(input);
        }
        JsonNode metadata = body.object("metadata");
        return new TaskSubmit(Tenants.DEFAULT, type, body.string("model"), body.string("lane"), input,
                body.priority("priority"), body.integer("max_attempts", 1, 100),
                body.integer("timeout_seconds", 1, 24 * 3600), body.idempotencyKey(idempotencyHeader), metadata);
    }

    private void checkChatInput(ObjectNode input) {
        JsonNode prompt = input.get("prompt");
        JsonNode messages = input.get("messages");
        if (prompt != null && !prompt.isNull()) {
            if (!prompt.isString() || prompt.asString().isEmpty()) {
                throw ApiException.badField("input.prompt", "input.prompt must be a non-empty string");
            }
            if (prompt.asString().getBytes(StandardCharsets.UTF_8).length > maxPromptBytes) {
                throw new BodyTooLargeException("input.prompt is over the limit of " + maxPromptBytes + " bytes");
            }
            return;
        }
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.badField("input.prompt", "a chat task needs input.prompt or input.messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.path("role").isString() || !m.path("content").isString()) {
                throw ApiException.badField("input.messages[" + i + "]",
                        "each message needs a string role and a string content");
            }
        }
    }

    private static boolean isEmptyList(JsonNode value) {
        return value.isArray() && value.isEmpty();
    }

    private static ApiException notYet(String field) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, field, field + " is not served by this version");
    }
}
