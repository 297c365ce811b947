package dev.tasklane.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * One request as {@link FakeOpenAiServer} received it.
 *
 * @param path    the request path, e.g. {@code /v1/chat/completions}
 * @param headers by name, case-insensitive
 * @param rawBody the body as text
 * @param body    the body parsed as JSON, or a missing node when it is not JSON
 */
public record ReceivedRequest(String method, String path, Map<String, List<String>> headers, String rawBody,
                              JsonNode body) {

    /** One chat message of the request; {@code content} given as parts is the join of its text parts. */
    public record Message(String role, String content) {}

    public ReceivedRequest {
        Map<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseInsensitive.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(caseInsensitive);
    }

    static ReceivedRequest read(HttpExchange exchange) throws IOException {
        String rawBody;
        try (InputStream in = exchange.getRequestBody()) {
            rawBody = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new ReceivedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders(), rawBody, parse(rawBody));
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The {@code model} field of the body, or null. */
    public String model() {
        return body.path("model").stringValue(null);
    }

    public List<Message> messages() {
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : body.path("messages")) {
            messages.add(new Message(message.path("role").stringValue(null), text(message.path("content"))));
        }
        return List.copyOf(messages);
    }

    /** The content of the last message whose role is {@code user}, or null when there is none. */
    public String lastUserMessage() {
        List<Message> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return null;
    }

    private static String text(JsonNode content) {
        if (!content.isArray()) {
            return content.stringValue(null);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").stringValue(null))) {
                text.append(part.path("text").stringValue(""));
            }
        }
        return text.toString();
    }

    private static JsonNode parse(String rawBody) {
        try {
            JsonNode parsed = JsonMapper.shared().readTree(rawBody);
            return parsed == null ? MissingNode.getInstance() : parsed;
        } catch (JacksonException notJson) {
            return MissingNode.getInstance();
        }
    }
}
