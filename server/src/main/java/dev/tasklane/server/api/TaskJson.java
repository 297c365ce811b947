package dev.tasklane.server.api;

import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The task object of API.md, built from a stored task. */
public final class TaskJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TaskJson() {}

    public static ObjectNode of(Task t) {
        ObjectNode o = JSON.objectNode();
        o.put("task_id", t.id().toString());
        o.put("batch_id", string(t.batchId()));
        o.put("conversation_id", string(t.conversationId()));
        o.put("type", t.type());
        o.put("model", t.model());
        o.put("lane", t.lane());
        o.put("status", t.status().wire());
        o.put("status_code", t.status().statusCode());
        o.put("priority", t.priority().wire());
        o.put("attempts", t.attempt());
        o.put("max_attempts", t.maxAttempts());
        o.put("timeout_seconds", t.timeoutSeconds());
        o.set("input", t.input());
        o.put("response_text", t.responseText());
        o.put("reasoning_text", t.reasoningText());
        o.set("output", t.output());
        o.set("error", error(t.error()));
        o.set("usage", usage(t.usage()));
        o.put("node", t.node());
        o.put("worker_id", t.workerId());
        if (t.startedAt() != null && t.finishedAt() != null) {
            o.put("cost_time", Duration.between(t.startedAt(), t.finishedAt()).toMillis() / 1000.0);
        } else {
            o.putNull("cost_time");
        }
        o.set("metadata", t.metadata());
        o.put("created_at", time(t.createdAt()));
        o.put("started_at", time(t.startedAt()));
        o.put("finished_at", time(t.finishedAt()));
        o.put("run_at", time(t.runAt()));
        return o;
    }

    private static ObjectNode error(TaskError e) {
        if (e == null) {
            return null;
        }
        ObjectNode o = JSON.objectNode();
        o.put("code", e.code());
        o.put("message", e.message());
        o.put("retryable", e.retryable());
        return o;
    }

    private static ObjectNode usage(Usage u) {
        if (u == null) {
            return null;
        }
        ObjectNode o = JSON.objectNode();
        o.put("prompt_tokens", u.promptTokens());
        o.put("completion_tokens", u.completionTokens());
        o.put("total_tokens", u.totalTokens());
        return o;
    }

    static String string(UUID id) {
        return id == null ? null : id.toString();
    }

    /** RFC 3339 in UTC, as {@link Instant#toString()} writes it. */
    static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
