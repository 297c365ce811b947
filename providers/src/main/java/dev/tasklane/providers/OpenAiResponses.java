package dev.tasklane.providers;

import dev.tasklane.core.model.Usage;
import dev.tasklane.core.port.ModelCallException;
import dev.tasklane.core.port.ModelCallException.Kind;
import dev.tasklane.core.port.ModelResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the bodies an OpenAI-compatible server answers with: a chat completion, or an error. */
final class OpenAiResponses {

    /** Longest upstream error text kept in an exception message. */
    static final int MAX_ERROR_CHARS = 300;

    private static final JsonMapper JSON = JsonMapper.shared();

    /**
     * Where servers put their error text: OpenAI nests it in {@code error.message}, vLLM puts
     * {@code message} at the top, Ollama sends {@code error} as a string, FastAPI uses {@code detail}.
     */
    private static final List<String> ERROR_TEXT_POINTERS = List.of("/error/message", "/error", "/message", "/detail");

    private OpenAiResponses() {}

    /** The completion in a 2xx body; content missing or null (a tool call, say) is the empty text. */
    static ModelResponse parse(String nodeName, byte[] body) throws ModelCallException {
        JsonNode root = readJson(body);
        if (root == null || !root.isObject()) {
            throw badResponse(nodeName, "the answer is not a JSON object: " + snippet(body));
        }
        JsonNode message = root.path("choices").path(0).path("message");
        if (!message.isObject()) {
            String upstream = errorText(root);
            throw badResponse(nodeName, "the answer has no choices[0].message"
                    + (upstream == null ? "" : ": " + upstream));
        }
        String text = content(nodeName, message.path("content"));
        String reasoning = firstString(message, "reasoning_content", "reasoning");
        return new ModelResponse(text, reasoning, usage(root.path("usage")), root);
    }

    /** The server's own error text for a non-2xx body, else a short snippet of the body. */
    static String errorMessage(byte[] body) {
        JsonNode root = readJson(body);
        String upstream = root == null ? null : errorText(root);
        return upstream != null ? truncate(upstream) : snippet(body);
    }

    /** A string, or an array of parts whose {@code text} parts are joined. */
    private static String content(String nodeName, JsonNode content) throws ModelCallException {
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.stringValue();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").stringValue(null))) {
                    text.append(part.path("text").stringValue(""));
                }
            }
            return text.toString();
        }
        throw badResponse(nodeName, "choices[0].message.content is neither text nor parts: " + content.getNodeType());
    }

    /** Every count is null when the server leaves it out. */
    private static Usage usage(JsonNode usage) {
        return new Usage(count(usage.path("prompt_tokens")), count(usage.path("completion_tokens")),
                count(usage.path("total_tokens")));
    }

    private static Integer count(JsonNode value) {
        return value.isNumber() && value.canConvertToInt() ? value.intValue() : null;
    }

    private static String firstString(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isString()) {
                return value.stringValue();
            }
        }
        return null;
    }

    private static String errorText(JsonNode root) {
        for (String pointer : ERROR_TEXT_POINTERS) {
            JsonNode value = root.at(pointer);
            if (value.isString() && !value.stringValue().isBlank()) {
                return value.stringValue();
            }
        }
        return null;
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String snippet(byte[] body) {
        // Decode only the head: a long HTML error page needs no more to be recognised.
        int head = Math.min(body.length, MAX_ERROR_CHARS * 4);
        String text = new String(body, 0, head, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "(empty body)" : truncate(text);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private static ModelCallException badResponse(String nodeName, String detail) {
        return new ModelCallException(Kind.BAD_RESPONSE, 0, null, "node " + nodeName + ": " + detail, null);
    }
}
