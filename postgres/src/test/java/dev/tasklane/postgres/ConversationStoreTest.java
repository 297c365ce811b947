package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.model.Conversation;
import dev.tasklane.core.model.ConversationMessage;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.port.ConversationStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversationStoreTest extends StorageTestBase {

    private ConversationStore conversations;

    @BeforeEach
    void stores() {
        conversations = storage.conversations();
    }

    @Test
    void aNewConversationStoresItsFirstTurn() {
        Submission first = data.newConversation("hello", "a", "b");
        storage.tasks().insert(first);

        Conversation conversation = conversations.find(data.tenant, first.conversationId()).orElseThrow();
        assertThat(conversation).isEqualTo(new Conversation(first.conversationId(), data.tenant, "be brief",
                first.createdAt(), first.createdAt()));
        assertThat(conversations.messages(data.tenant, first.conversationId())).singleElement()
                .satisfies(m -> {
                    assertThat(m.role()).isEqualTo("user");
                    assertThat(m.content()).isEqualTo("hello");
                    assertThat(m.model()).isEqualTo("a,b");
                    assertThat(m.batchId()).isEqualTo(first.batchId());
                    assertThat(m.taskId()).isEqualTo(first.tasks().getFirst().id());
                    assertThat(m.conversationId()).isEqualTo(first.conversationId());
                    assertThat(m.createdAt()).isEqualTo(first.createdAt());
                });
    }

    @Test
    void completingAChatTaskAppendsTheAnswerAndMarksActivity() {
        Submission first = data.newConversation("hello", "a");
        storage.tasks().insert(first);
        Task task = first.tasks().getFirst();
        Instant finished = data.now().plusSeconds(30);

        answer(task, "hi there", finished);

        assertThat(conversations.messages(data.tenant, first.conversationId()))
                .extracting(ConversationMessage::role, ConversationMessage::content, ConversationMessage::model,
                        ConversationMessage::taskId, ConversationMessage::batchId, ConversationMessage::createdAt)
                .containsExactly(
                        tuple("user", "hello", "a", task.id(), first.batchId(), first.createdAt()),
                        tuple("assistant", "hi there", "a", task.id(), first.batchId(), finished));
        assertThat(conversations.find(data.tenant, first.conversationId()).orElseThrow().lastActiveAt())
                .isEqualTo(finished);
    }

    @Test
    void aFailedTaskAddsNoAnswer() {
        Submission first = data.newConversation("hello", "a");
        storage.tasks().insert(first);
        Task running = claimAtNow(first.tasks().getFirst());

        storage.tasks().fail(running.id(), 1, new TaskError("timeout", "no answer", true), data.now());

        assertThat(conversations.messages(data.tenant, first.conversationId()))
                .extracting(ConversationMessage::role).containsExactly("user");
    }

    @Test
    void historyHoldsEarlierTurnsWithTheSameModelsAnswer() {
        Submission turn1 = data.newConversation("q1", "a", "b");
        UUID conversationId = turn1.conversationId();
        storage.tasks().insert(turn1);
        answer(turn1.tasks().get(1), "b1", data.now());
        Submission turn2 = data.nextTurn(conversationId, "q2", "b");
        storage.tasks().insert(turn2);
        // a's answer to the first turn arrives after the second turn was submitted
        answer(turn1.tasks().get(0), "a1", data.now());
        answer(turn2.tasks().getFirst(), "b2", data.now());
        Submission turn3 = data.nextTurn(conversationId, "q3", "a", "b");
        storage.tasks().insert(turn3);

        assertThat(conversations.messages(data.tenant, conversationId))
                .extracting(ConversationMessage::role, ConversationMessage::content)
                .containsExactly(tuple("user", "q1"), tuple("assistant", "b1"), tuple("user", "q2"),
                        tuple("assistant", "a1"), tuple("assistant", "b2"), tuple("user", "q3"));
        assertThat(conversations.historyBefore(turn3.tasks().get(0))).containsExactly(
                user("q1"), assistant("a1"), user("q2"), assistant("b2"));
        assertThat(conversations.historyBefore(turn3.tasks().get(1))).containsExactly(
                user("q1"), assistant("b1"), user("q2"), assistant("b2"));
        assertThat(conversations.historyBefore(turn2.tasks().getFirst())).containsExactly(
                user("q1"), assistant("b1"));
        assertThat(conversations.historyBefore(turn1.tasks().getFirst())).isEmpty();
    }

    @Test
    void anUnansweredTurnContributesItsPromptAlone() {
        Submission turn1 = data.newConversation("q1", "a");
        storage.tasks().insert(turn1);
        Submission turn2 = data.nextTurn(turn1.conversationId(), "q2", "a");
        storage.tasks().insert(turn2);

        assertThat(conversations.historyBefore(turn2.tasks().getFirst())).containsExactly(user("q1"));
    }

    @Test
    void aTaskOutsideAConversationHasNoHistory() {
        Submission alone = data.standalone("chat", "a");
        storage.tasks().insert(alone);

        assertThat(conversations.historyBefore(alone.tasks().getFirst())).isEmpty();
    }

    @Test
    void deletingRemovesTheConversationAndDetachesItsWork() throws SQLException {
        Submission first = data.newConversation("hello", "a");
        storage.tasks().insert(first);
        Task running = claimAtNow(first.tasks().getFirst());

        assertThat(conversations.delete("someone-else", first.conversationId())).isFalse();
        assertThat(conversations.delete(data.tenant, first.conversationId())).isTrue();

        assertThat(conversations.find(data.tenant, first.conversationId())).isEmpty();
        assertThat(conversations.messages(data.tenant, first.conversationId())).isEmpty();
        assertThat(storage.tasks().find(data.tenant, running.id()).orElseThrow().conversationId()).isNull();
        assertThat(storage.batches().find(data.tenant, first.batchId()).orElseThrow().conversationId()).isNull();
        assertThat(conversations.delete(data.tenant, first.conversationId())).isFalse();
        // the detached task still finishes, and its answer goes nowhere
        assertThat(storage.tasks().complete(running.id(), 1, new TaskResult("hi", null, null, null, null),
                data.now()).join()).isTrue();
        assertThat(messageRows(first.conversationId())).isZero();
    }

    @Test
    void completingWhileTheConversationIsDeletedNeitherDeadlocksNorFails() throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 20; round++) {
                Submission turn = data.newConversation("q", "a", "b", "c", "d");
                storage.tasks().insert(turn);
                turn.tasks().forEach(this::claim);
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Long> completed = threads.submit(() -> {
                    together.await();
                    return turn.tasks().stream().filter(t -> storage.tasks().complete(t.id(), 1,
                            new TaskResult("x", null, null, null, null), data.now()).join()).count();
                });
                Future<Boolean> deleted = threads.submit(() -> {
                    together.await();
                    return conversations.delete(data.tenant, turn.conversationId());
                });

                assertThat(completed.get()).isEqualTo(4);
                assertThat(deleted.get()).isTrue();
                assertThat(messageRows(turn.conversationId())).isZero();
            }
        }
    }

    @Test
    void listingShowsTheMostRecentlyActiveFirst() {
        Submission oldest = data.newConversation("one", "a");
        Submission middle = data.newConversation("two", "a");
        Submission newest = data.newConversation("three", "a");
        List.of(oldest, middle, newest).forEach(storage.tasks()::insert);
        storage.tasks().insert(data.nextTurn(oldest.conversationId(), "one again", "a"));

        Page<Conversation> first = conversations.list(data.tenant, 2, null);
        Page<Conversation> second = conversations.list(data.tenant, 2, first.nextCursor());

        assertThat(first.items()).extracting(Conversation::id)
                .containsExactly(oldest.conversationId(), newest.conversationId());
        assertThat(second.items()).extracting(Conversation::id).containsExactly(middle.conversationId());
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void conversationsWithTheSameActivityTimePageByIdWithoutGapOrRepeat() {
        Instant sameTime = data.now();
        List<UUID> ids = List.of(data.nextId(), data.nextId(), data.nextId());
        for (UUID id : ids) {
            Submission s = data.newConversation("hi", "a");
            storage.tasks().insert(new Submission(data.tenant, s.batchId(), id, true, null, "hi", "a",
                    s.tasks().stream().map(t -> withConversation(t, id)).toList(), sameTime, null));
        }

        Page<Conversation> first = conversations.list(data.tenant, 2, null);
        Page<Conversation> second = conversations.list(data.tenant, 2, first.nextCursor());

        assertThat(first.items()).extracting(Conversation::id).containsExactly(ids.get(2), ids.get(1));
        assertThat(second.items()).extracting(Conversation::id).containsExactly(ids.get(0));
    }

    @Test
    void aMalformedCursorIsRejected() {
        assertThatThrownBy(() -> conversations.list(data.tenant, 10, "not a cursor"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anotherTenantSeesNothing() {
        Submission first = data.newConversation("hello", "a");
        storage.tasks().insert(first);

        assertThat(conversations.find("someone-else", first.conversationId())).isEmpty();
        assertThat(conversations.messages("someone-else", first.conversationId())).isEmpty();
        assertThat(conversations.list("someone-else", 10, null).items()).isEmpty();
        assertThat(conversations.find(data.tenant, first.conversationId())).isPresent();
    }

    private Task claimAtNow(Task task) {
        return storage.tasks().claim(task.id(), "worker-1", data.now().plusSeconds(60), data.now()).join()
                .orElseThrow();
    }

    private void answer(Task task, String text, Instant at) {
        Task running = claimAtNow(task);
        assertThat(storage.tasks().complete(running.id(), running.attempt(),
                new TaskResult(text, null, null, null, null), at).join()).isTrue();
    }

    private static Task withConversation(Task t, UUID conversationId) {
        return Task.newQueued(t.id(), t.tenantId(), t.batchId(), conversationId, t.type(), t.model(), t.lane(),
                t.priority(), null, null, t.input(), null, null, t.createdAt());
    }

    private int messageRows(UUID conversationId) throws SQLException {
        try (Connection c = storage.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM messages WHERE conversation_id = ?")) {
            ps.setObject(1, conversationId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    private static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
