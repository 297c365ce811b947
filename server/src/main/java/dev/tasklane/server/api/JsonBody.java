package dev.tasklane.server.api;

import dev.tasklane.core.model.Priority;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON request body read within the size limit, with accessors that never
 * coerce: a field of the wrong JSON type is a 400 naming it.
 */
public final class JsonBody {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final ObjectNode root;

    private JsonBody(ObjectNode root) {
        this.root = root;
    }

    public static JsonBody read(HttpServletRequest request, long maxBytes) {
        byte[] bytes = readLimited(request, maxBytes);
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.badField("body", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw ApiException.badField("body", "the body must be a JSON object");
        }
        return new JsonBody((ObjectNode) parsed);
    }

    public static JsonBody of(ObjectNode root) {
        return new JsonBody(root);
    }

    static byte[] readLimited(HttpServletRequest request, long maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new BodyTooLargeException("the body is over the limit of " + maxBytes + " bytes");
        }
        try (InputStream in = request.getInputStream()) {
            // a declared length is read in one piece; otherwise up to one byte over the limit
            byte[] bytes = declared >= 0 ? in.readNBytes((int) declared)
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new BodyTooLargeException("the body is over the limit of " + maxBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badField("body", "the body could not be read: " + e.getMessage());
        }
    }

    public ObjectNode root() {
        return root;
    }

    public boolean has(String field) {
        JsonNode v = root.get(field);
        return v != null && !v.isNull();
    }

    public String string(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw ApiException.badField(field, field + " must be a string");
        }
        return v.asString();
    }

    public String requiredString(String field) {
        String value = string(field);
        if (value == null || value.isEmpty()) {
            throw ApiException.badField(field, field + " is required");
        }
        return value;
    }

    public Integer integer(String field, int min, int max) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw ApiException.badField(field, field + " must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    public ObjectNode object(String field) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.badField(field, field + " must be a JSON object");
        }
        return (ObjectNode) v;
    }

    /**
     * The client's idempotency key: the {@code Idempotency-Key} header or the
     * {@code idempotency_key} field (1 to 255 characters); both given must agree.
     */
    public String idempotencyKey(String header) {
        String field = string("idempotency_key");
        if (header != null && field != null && !header.equals(field)) {
            throw ApiException.badField("idempotency_key", "the Idempotency-Key header and idempotency_key differ");
        }
        String key = field != null ? field : header;
        if (key != null && (key.isEmpty() || key.length() > 255)) {
            throw ApiException.badField("idempotency_key", "idempotency_key must be 1 to 255 characters");
        }
        return key;
    }

    public Priority priority(String field) {
        return parsePriority(field, string(field));
    }

    static Priority parsePriority(String field, String word) {
        if (word == null) {
            return Priority.NORMAL;
        }
        try {
            return Priority.fromWire(word);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(field, field + " must be high, normal or low");
        }
    }

    /** Parses an id; a malformed one is simply not found (API.md: never confirm what exists). */
    public static UUID idOrNotFound(String text, String what) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(what + " " + text);
        }
    }

    /** Parses an id given as a filter, where a malformed one is a client error. */
    public static UUID idOrBadField(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(field, field + " must be an id");
        }
    }
}
