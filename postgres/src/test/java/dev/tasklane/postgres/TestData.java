package dev.tasklane.postgres;

import dev.tasklane.core.model.Ids;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds submissions for one tenant on a test clock: every id and timestamp comes from the
 * clock, which moves one millisecond per id, so ids and times sort in creation order.
 */
final class TestData {
    static final JsonMapper JSON = JsonMapper.builder().build();

    final String tenant = "tenant-" + UUID.randomUUID();
    private Instant now = Instant.parse("2026-11-02T10:00:00.123456Z");

    /** The clock's present; ids taken since have moved it on. */
    Instant now() {
        return now;
    }

    /** Moves the clock on by {@code time}. */
    void advance(Duration time) {
        now = now.plus(time);
    }

    UUID nextId() {
        now = now.plusMillis(1);
        return Ids.newId(Clock.fixed(now, ZoneOffset.UTC));
    }

    static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** One chat task per model, starting a new conversation. */
    Submission newConversation(String prompt, String... models) {
        return chat(nextId(), true, prompt, models);
    }

    /** One chat task per model, continuing the conversation. */
    Submission nextTurn(UUID conversationId, String prompt, String... models) {
        return chat(conversationId, false, prompt, models);
    }

    /** Tasks outside any conversation, one per model, all of this type on lane "lane-" + model. */
    Submission standalone(String type, String... models) {
        UUID batchId = nextId();
        List<Task> tasks = new ArrayList<>();
        for (String model : models) {
            tasks.add(task(batchId, null, type, model, json("{\"input\": \"" + model + "\"}")));
        }
        return new Submission(tenant, batchId, null, false, null, null, null, tasks, now, null);
    }

    /** One task of type "work" on the lane, with at most {@code maxAttempts} attempts. */
    Submission single(String lane, Priority priority, Integer maxAttempts) {
        UUID batchId = nextId();
        Task task = Task.newQueued(nextId(), tenant, batchId, null, "work", null, lane, priority, maxAttempts, null,
                null, null, null, now);
        return new Submission(tenant, batchId, null, false, null, null, null, List.of(task), now, null);
    }

    /** The same submission under an idempotency key. */
    static Submission withKey(Submission s, String key) {
        return new Submission(s.tenantId(), s.batchId(), s.conversationId(), s.newConversation(), s.systemPrompt(),
                s.userMessage(), s.userModel(), s.tasks(), s.createdAt(), key);
    }

    private Submission chat(UUID conversationId, boolean newConversation, String prompt, String... models) {
        UUID batchId = nextId();
        List<Task> tasks = new ArrayList<>();
        for (String model : models) {
            tasks.add(task(batchId, conversationId, "chat", model,
                    JSON.createObjectNode().put("prompt", prompt)));
        }
        return new Submission(tenant, batchId, conversationId, newConversation,
                newConversation ? "be brief" : null, prompt, String.join(",", models), tasks, now, null);
    }

    private Task task(UUID batchId, UUID conversationId, String type, String model, JsonNode input) {
        return Task.newQueued(nextId(), tenant, batchId, conversationId, type, model, "lane-" + model,
                Priority.NORMAL, null, null, input, null, null, now);
    }
}
