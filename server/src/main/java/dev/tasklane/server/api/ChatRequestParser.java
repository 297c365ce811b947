package dev.tasklane.server.api;

import dev.tasklane.core.engine.ChatSubmit;
import dev.tasklane.core.model.Tenants;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The seed form of POST /v1/chat/completions, from JSON or from multipart fields, checked field by field. */
final class ChatRequestParser {
    static final int MAX_COPIES = 8;
    static final int MAX_MODELS = 16;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final long maxPromptBytes;

    ChatRequestParser(long maxPromptBytes) {
        this.maxPromptBytes = maxPromptBytes;
    }

    ChatSubmit parse(JsonBody body, String idempotencyHeader) {
        if (body.has("messages") && !body.has("prompt")) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "messages",
                    "the OpenAI messages form is not served by this version; send prompt and model");
        }
        String prompt = body.requiredString("prompt");
        if (prompt.getBytes(StandardCharsets.UTF_8).length > maxPromptBytes) {
            throw new BodyTooLargeException("prompt is over the limit of " + maxPromptBytes + " bytes");
        }
        String modelField = body.requiredString("model");
        List<String> models = Arrays.stream(modelField.split(",")).map(String::trim).toList();
        if (models.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badField("model", "model must be one name or a comma-separated list of names");
        }
        if (models.size() > MAX_MODELS) {
            throw ApiException.badField("model", "at most " + MAX_MODELS + " models per request");
        }
        if (models.stream().distinct().count() != models.size()) {
            throw ApiException.badField("model", "a model is named twice; use n for copies");
        }
        Integer n = body.integer("n", 1, MAX_COPIES);
        Integer alias = body.integer("gemini_concurrency", 1, MAX_COPIES);
        if (n != null && alias != null && !n.equals(alias)) {
            throw ApiException.badField("n", "n and gemini_concurrency disagree");
        }
        int copies = n != null ? n : alias != null ? alias : 1;
        String conversation = body.string("conversation_id");
        UUID conversationId = conversation == null ? null
                : JsonBody.idOrNotFound(conversation, "conversation");
        return new ChatSubmit(Tenants.DEFAULT, prompt, models, modelField, copies, conversationId,
                body.string("system"), body.priority("priority"), body.object("params"),
                body.idempotencyKey(idempotencyHeader));
    }

    /** Builds the same JSON object a JSON client would send from form fields (all strings). */
    static JsonBody fromForm(java.util.Map<String, String> form) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (var field : form.entrySet()) {
            String name = field.getKey();
            String value = field.getValue();
            switch (name) {
                case "n", "gemini_concurrency" -> root.set(name, formInteger(name, value));
                case "params" -> root.set(name, formJson(name, value));
                default -> root.put(name, value);
            }
        }
        return JsonBody.of(root);
    }

    private static JsonNode formInteger(String name, String value) {
        try {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw ApiException.badField(name, name + " must be a whole number");
        }
    }

    private static JsonNode formJson(String name, String value) {
        try {
            return MAPPER.readTree(value);
        } catch (JacksonException e) {
            throw ApiException.badField(name, name + " must be a JSON object");
        }
    }
}
