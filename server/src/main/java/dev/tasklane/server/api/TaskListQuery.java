package dev.tasklane.server.api;

import dev.tasklane.core.model.TaskQuery;
import dev.tasklane.core.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The query string of GET /v1/tasks; unknown parameters and bad values are 400s naming them. */
final class TaskListQuery {
    private static final Set<String> KNOWN = Set.of("status", "lane", "model", "type", "batch_id",
            "conversation_id", "created_after", "created_before", "limit", "cursor");
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private TaskListQuery() {}

    static TaskQuery parse(Map<String, String> q) {
        for (String name : q.keySet()) {
            if (!KNOWN.contains(name)) {
                throw ApiException.badField(name, "unknown parameter " + name + "; known: " + KNOWN);
            }
        }
        return new TaskQuery(status(q.get("status")), q.get("lane"), q.get("model"), q.get("type"),
                JsonBody.idOrBadField("batch_id", q.get("batch_id")),
                JsonBody.idOrBadField("conversation_id", q.get("conversation_id")),
                time("created_after", q.get("created_after")), time("created_before", q.get("created_before")),
                fromCursor(q.get("cursor")), limit(q.get("limit")));
    }

    /** Cursors are opaque to clients: the last id of a page, encoded. */
    static String cursor(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastId.getBytes(StandardCharsets.UTF_8));
    }

    private static UUID fromCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return UUID.fromString(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("cursor", "cursor is not one this server gave out");
        }
    }

    private static TaskStatus status(String word) {
        if (word == null) {
            return null;
        }
        try {
            return TaskStatus.fromWire(word);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("status",
                    "status must be one of scheduled, queued, running, succeeded, failed, cancelled");
        }
    }

    private static Instant time(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badField(field, field + " must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
        }
    }

    /** A page size from 1 to 500; 50 when absent. */
    static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw ApiException.badField("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
