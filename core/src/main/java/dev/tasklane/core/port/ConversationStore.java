package dev.tasklane.core.port;

import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.model.Conversation;
import dev.tasklane.core.model.ConversationMessage;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.Task;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

public interface ConversationStore {

    Optional<Conversation> find(String tenantId, UUID conversationId);

    /** Newest activity first; the cursor is opaque to callers. */
    Page<Conversation> list(String tenantId, int limit, String cursor);

    /** User turns and successful answers, in the order they were stored. */
    List<ConversationMessage> messages(String tenantId, UUID conversationId);

    /** Removes the conversation and its messages (tasks stay, detached). False when unknown. */
    boolean delete(String tenantId, UUID conversationId);

    /**
     * The earlier turns to send to the model before this task's own prompt: for
     * every earlier batch of the task's conversation, its user message and one
     * answer (the one from the task's own model when there is one, else the first
     * stored). Empty for a task outside a conversation.
     */
    List<ChatMessage> historyBefore(Task task);
}
