package dev.tasklane.core.engine;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.Router;
import dev.tasklane.core.model.Batch;
import dev.tasklane.core.model.Ids;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.BatchStore;
import dev.tasklane.core.port.ConversationStore;
import dev.tasklane.core.port.LaneQueue;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns accepted requests into committed tasks, then wakes their lanes.
 * Order matters (invariant 1): the rows commit first, and the caller answers only
 * after this returns. A task whose lane has an idle worker in this process is written
 * claimed by it and starts on it directly ({@link LocalLanes}); the others' wake-ups
 * (stream entries) are handed to a background batch and not waited for: a task is safe
 * once committed, and one whose wake-up is lost is published again by the reconciler.
 */
public final class SubmitService implements AutoCloseable {
    private final TaskStore tasks;
    private final BatchStore batches;
    private final ConversationStore conversations;
    private final Batcher<Task> wakeUps;
    private final LocalLanes localLanes;
    private final Router router;
    private final Set<String> taskTypes;
    private final Clock clock;

    public SubmitService(TaskStore tasks, BatchStore batches, ConversationStore conversations, LaneQueue queue,
                         Router router, Set<String> taskTypes, Clock clock, LocalLanes localLanes) {
        this.tasks = tasks;
        this.batches = batches;
        this.conversations = conversations;
        this.wakeUps = new Batcher<>("wake-ups", 1000, new TaskPublisher(queue)::publish);
        this.router = router;
        this.taskTypes = Set.copyOf(taskTypes);
        this.clock = clock;
        this.localLanes = localLanes;
    }

    public ChatSubmitted submitChat(ChatSubmit chat) {
        Map<String, LaneConfig> lanes = new LinkedHashMap<>();
        for (String model : chat.models()) {
            lanes.put(model, route("model", model));
        }
        boolean continued = chat.conversationId() != null;
        if (continued && conversations.find(chat.tenantId(), chat.conversationId()).isEmpty()) {
            throw new NotFoundException("conversation_id", "conversation " + chat.conversationId() + " not found");
        }
        Instant now = clock.instant();
        UUID batchId = Ids.newId(clock);
        UUID conversationId = continued ? chat.conversationId() : Ids.newId(clock);
        List<Task> created = new ArrayList<>();
        for (String model : chat.models()) {
            for (int copy = 0; copy < chat.copies(); copy++) {
                LaneConfig lane = lanes.get(model);
                created.add(Task.newQueued(Ids.newId(clock), chat.tenantId(), batchId, conversationId, "chat",
                        model, lane.name(), chat.priority(), lane.maxAttempts(), (int) lane.timeout().toSeconds(),
                        chatInput(chat), null, null, now));
            }
        }
        HeldSlots held = new HeldSlots(localLanes, created);
        Optional<UUID> earlier = insert(held, new Submission(chat.tenantId(), batchId, conversationId, !continued,
                chat.system(), chat.prompt(), chat.modelField(), held.tasks(), now, chat.idempotencyKey()));
        if (earlier.isPresent()) {
            Batch first = earlierBatch(chat.tenantId(), earlier.get());
            return new ChatSubmitted(first.id(), first.conversationId(), first.tasks().stream().map(Task::id).toList(),
                    true);
        }
        return new ChatSubmitted(batchId, conversationId, created.stream().map(Task::id).toList(), false);
    }

    public TaskSubmitted submitTask(TaskSubmit request) {
        if (!taskTypes.contains(request.type())) {
            throw new InvalidRequestException("type",
                    "unknown task type '" + request.type() + "'; known types: " + String.join(", ", taskTypes));
        }
        LaneConfig lane = laneFor(request);
        Instant now = clock.instant();
        // a task keeps the limits it was submitted with, even if the lane's change later
        int maxAttempts = request.maxAttempts() != null ? request.maxAttempts() : lane.maxAttempts();
        int timeout = request.timeoutSeconds() != null ? request.timeoutSeconds() : (int) lane.timeout().toSeconds();
        // a task submitted alone is a batch of one whose id is its own (the store finds it by key)
        UUID id = Ids.newId(clock);
        Task task = Task.newQueued(id, request.tenantId(), id, null, request.type(),
                request.model(), lane.name(), request.priority(), maxAttempts, timeout, request.input(),
                request.idempotencyKey(), request.metadata(), now);
        HeldSlots held = new HeldSlots(localLanes, List.of(task));
        Optional<UUID> earlier = insert(held, new Submission(request.tenantId(), task.batchId(), null, false, null,
                null, null, held.tasks(), now, request.idempotencyKey()));
        if (earlier.isPresent()) {
            return new TaskSubmitted(earlierBatch(request.tenantId(), earlier.get()).tasks().getFirst(), true);
        }
        return new TaskSubmitted(held.tasks().getFirst(), false);
    }

    /**
     * Commits the submission, then runs its tasks claimed by an idle worker of this process
     * and wakes the lanes of the others through the stream; when nothing was written (a
     * failure, or a replay of an earlier submission) the held slots are given back.
     */
    private Optional<UUID> insert(HeldSlots held, Submission submission) {
        Optional<UUID> earlier;
        try {
            earlier = tasks.insert(submission);
        } catch (RuntimeException e) {
            held.release();
            throw e;
        }
        if (earlier.isPresent()) {
            held.release();
        } else {
            held.start(wakeUps::add);
        }
        return earlier;
    }

    private Batch earlierBatch(String tenantId, UUID batchId) {
        return batches.find(tenantId, batchId).orElseThrow(() -> new IllegalStateException(
                "idempotency key points at batch " + batchId + ", which is gone"));
    }

    private LaneConfig laneFor(TaskSubmit request) {
        if (request.model() != null) {
            return route("model", request.model());
        }
        if (request.lane() != null) {
            return router.lane(request.lane()).orElseThrow(() -> new InvalidRequestException("lane",
                    "unknown lane '" + request.lane() + "'; lanes: " + String.join(", ", router.lanes().stream().map(LaneConfig::name).toList())));
        }
        throw new InvalidRequestException("model", "either model or lane is required");
    }

    private LaneConfig route(String field, String model) {
        return router.route(model).orElseThrow(() -> new NoRouteException(field,
                "no lane serves model '" + model + "'; routes: " + router.describeRoutes()));
    }

    private static ObjectNode chatInput(ChatSubmit chat) {
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.put("prompt", chat.prompt());
        if (chat.system() != null) {
            input.put("system", chat.system());
        }
        if (chat.params() != null) {
            input.set("params", chat.params());
        }
        return input;
    }

    /** Sends the wake-ups still waiting. */
    @Override
    public void close() {
        wakeUps.close();
    }
}
