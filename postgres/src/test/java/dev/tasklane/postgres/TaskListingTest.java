package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskQuery;
import dev.tasklane.core.model.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 26 tasks: five batches of five (models a, b, c, a, b; embedding or image), the c's running, and one chat. */
class TaskListingTest extends StorageTestBase {

    private final List<Task> created = new ArrayList<>();
    private final List<Submission> submissions = new ArrayList<>();

    @BeforeEach
    void twentySixTasks() {
        created.clear();
        submissions.clear();
        for (int batch = 0; batch < 5; batch++) {
            submit(data.standalone(batch % 2 == 0 ? "embedding" : "image", "a", "b", "c", "a", "b"));
        }
        submit(data.newConversation("hello", "a"));
        for (Task task : created) {
            if (task.model().equals("c")) {
                storage.tasks().claim(task.id(), "worker-1", data.now().plusSeconds(60), data.now()).join()
                        .orElseThrow();
            }
        }
    }

    private void submit(Submission submission) {
        storage.tasks().insert(submission);
        submissions.add(submission);
        created.addAll(submission.tasks());
    }

    @Test
    void listsNewestFirst() {
        Page<Task> page = list(query().limit(500));

        assertThat(ids(page.items())).containsExactlyElementsOf(expected(t -> true));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void pagesFollowTheCursorToTheEnd() {
        List<UUID> seen = new ArrayList<>();
        Page<Task> page = list(query().limit(10));
        List<Integer> sizes = new ArrayList<>();
        while (true) {
            seen.addAll(ids(page.items()));
            sizes.add(page.items().size());
            if (page.nextCursor() == null) {
                break;
            }
            assertThat(page.nextCursor()).isEqualTo(page.items().getLast().id().toString());
            page = list(query().limit(10).before(UUID.fromString(page.nextCursor())));
        }

        assertThat(sizes).containsExactly(10, 10, 6);
        assertThat(seen).containsExactlyElementsOf(expected(t -> true));
    }

    @Test
    void aFullLastPageIsFollowedByAnEmptyOne() {
        Page<Task> last = list(query().limit(13).before(expected(t -> true).get(12)));

        assertThat(last.items()).hasSize(13);
        assertThat(last.nextCursor()).isNotNull();
        Page<Task> after = list(query().limit(13).before(UUID.fromString(last.nextCursor())));
        assertThat(after.items()).isEmpty();
        assertThat(after.nextCursor()).isNull();
    }

    @Test
    void eachFilterKeepsOnlyItsTasks() {
        Submission secondBatch = submissions.get(1);
        Submission chat = submissions.getLast();
        Instant from = created.get(10).createdAt();
        Instant to = created.get(20).createdAt();

        assertThat(ids(list(query().status(TaskStatus.RUNNING)).items()))
                .hasSize(5).containsExactlyElementsOf(expected(t -> t.model().equals("c")));
        assertThat(ids(list(query().lane("lane-a")).items()))
                .containsExactlyElementsOf(expected(t -> t.lane().equals("lane-a")));
        assertThat(ids(list(query().model("b")).items()))
                .containsExactlyElementsOf(expected(t -> t.model().equals("b")));
        assertThat(ids(list(query().type("image")).items())).hasSize(10)
                .containsExactlyElementsOf(expected(t -> t.type().equals("image")));
        assertThat(ids(list(query().batchId(secondBatch.batchId())).items()))
                .containsExactlyElementsOf(expected(secondBatch.tasks()::contains));
        assertThat(ids(list(query().conversationId(chat.conversationId())).items()))
                .containsExactly(chat.tasks().getFirst().id());
        assertThat(ids(list(query().createdAfter(from).createdBefore(to)).items()))
                .containsExactlyElementsOf(expected(t -> !t.createdAt().isBefore(from) && t.createdAt().isBefore(to)))
                .hasSize(10);
        assertThat(ids(list(query().model("a").type("image").status(TaskStatus.QUEUED)).items()))
                .hasSize(4).containsExactlyElementsOf(expected(t -> t.model().equals("a") && t.type().equals("image")));
    }

    @Test
    void anotherTenantSeesNone() {
        assertThat(storage.tasks().list("someone-else", query().build()).items()).isEmpty();
    }

    @Test
    void aLimitOutsideOneTo500IsRejected() {
        assertThatThrownBy(() -> list(query().limit(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> list(query().limit(501))).isInstanceOf(IllegalArgumentException.class);
    }

    private Page<Task> list(QueryBuilder query) {
        return storage.tasks().list(data.tenant, query.build());
    }

    /** The ids of the created tasks the filter keeps, newest first. */
    private List<UUID> expected(Predicate<Task> filter) {
        return created.reversed().stream().filter(filter).map(Task::id).toList();
    }

    private static List<UUID> ids(List<Task> tasks) {
        return tasks.stream().map(Task::id).toList();
    }

    private static QueryBuilder query() {
        return new QueryBuilder();
    }

    /** A {@link TaskQuery} with every filter off and room for all tasks, changed one field at a time. */
    private static final class QueryBuilder {
        private TaskStatus status;
        private String lane;
        private String model;
        private String type;
        private UUID batchId;
        private UUID conversationId;
        private Instant createdAfter;
        private Instant createdBefore;
        private UUID before;
        private int limit = 100;

        QueryBuilder status(TaskStatus value) { status = value; return this; }
        QueryBuilder lane(String value) { lane = value; return this; }
        QueryBuilder model(String value) { model = value; return this; }
        QueryBuilder type(String value) { type = value; return this; }
        QueryBuilder batchId(UUID value) { batchId = value; return this; }
        QueryBuilder conversationId(UUID value) { conversationId = value; return this; }
        QueryBuilder createdAfter(Instant value) { createdAfter = value; return this; }
        QueryBuilder createdBefore(Instant value) { createdBefore = value; return this; }
        QueryBuilder before(UUID value) { before = value; return this; }
        QueryBuilder limit(int value) { limit = value; return this; }

        TaskQuery build() {
            return new TaskQuery(status, lane, model, type, batchId, conversationId, createdAfter, createdBefore,
                    before, limit);
        }
    }
}
