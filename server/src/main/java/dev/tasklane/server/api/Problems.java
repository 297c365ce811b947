package dev.tasklane.server.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** RFC 9457 problem documents: {@code {"type","title","status","detail","errors":[{"field","message"}]}}. */
public final class Problems {
    private Problems() {}

    public static ResponseEntity<ObjectNode> of(HttpStatus status, String field, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body(status, field, detail));
    }

    private static ObjectNode body(HttpStatus status, String field, String detail) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", "about:blank");
        o.put("title", status.getReasonPhrase());
        o.put("status", status.value());
        o.put("detail", detail);
        ArrayNode errors = o.putArray("errors");
        if (field != null) {
            errors.addObject().put("field", field).put("message", detail);
        }
        return o;
    }
}
