package dev.tasklane.core.engine;

import dev.tasklane.core.model.DeadLetter;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.DeadLetterStore;
import dev.tasklane.core.port.TaskStore;
import java.util.List;
import java.util.UUID;

/** Puts a dead-lettered task back on its lane, when it names a task that has not ended. */
public final class DeadLetterReplay {
    private final DeadLetterStore deadLetters;
    private final TaskStore tasks;
    private final TaskPublisher publisher;

    /** Why a dead letter cannot be replayed; the message says it to the operator. */
    public static final class NotReplayableException extends RuntimeException {
        NotReplayableException(String message) {
            super(message);
        }
    }

    public DeadLetterReplay(DeadLetterStore deadLetters, TaskStore tasks, TaskPublisher publisher) {
        this.deadLetters = deadLetters;
        this.tasks = tasks;
        this.publisher = publisher;
    }

    /**
     * Publishes the task again and removes the dead letter.
     *
     * @return the task as it is now
     * @throws NotFoundException        when there is no such dead letter
     * @throws NotReplayableException   when it names no task, or the task has ended
     */
    public Task replay(UUID deadLetterId) {
        DeadLetter letter = deadLetters.find(deadLetterId)
                .orElseThrow(() -> new NotFoundException(null, "dead letter " + deadLetterId + " not found"));
        if (letter.taskId() == null) {
            throw new NotReplayableException("dead letter " + deadLetterId + " names no task; delete it instead");
        }
        Task task = tasks.findById(letter.taskId()).orElseThrow(() -> new NotReplayableException(
                "task " + letter.taskId() + " does not exist; delete the dead letter instead"));
        if (task.status().isTerminal()) {
            throw new NotReplayableException("task " + task.id() + " has already ended (" + task.status().wire() + ")");
        }
        if (publisher.publish(List.of(task)) == 0) {
            throw new IllegalStateException("task " + task.id() + " could not be published; try again");
        }
        deadLetters.delete(deadLetterId);
        return task;
    }
}
