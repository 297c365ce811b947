package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskEvent;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskEventLogTest extends StorageTestBase {

    @Test
    void insertLogsEachTaskAsQueuedOnItsLane() {
        Submission submission = data.standalone("embedding", "a", "b");
        storage.tasks().insert(submission);

        for (Task task : submission.tasks()) {
            assertThat(storage.events().list(task.id())).containsExactly(
                    new TaskEvent(task.id(), task.createdAt(), "INFO", "queued on lane " + task.lane(), 0));
        }
    }

    @Test
    void eventsListInTheOrderTheyWereAppended() {
        Submission submission = data.standalone("embedding", "a");
        storage.tasks().insert(submission);
        Task task = submission.tasks().getFirst();
        Instant later = task.createdAt().plusSeconds(1);
        TaskEvent claimed = new TaskEvent(task.id(), later, "INFO", "claimed by worker-1", 1);
        TaskEvent failed = new TaskEvent(task.id(), later.plusSeconds(1), "WARN", "timeout after 120 s", 1);
        TaskEvent retried = new TaskEvent(task.id(), later.plusSeconds(2), "INFO", "claimed by worker-2", 2);

        storage.events().append(claimed);
        storage.events().append(failed);
        storage.events().append(retried);

        assertThat(storage.events().list(task.id())).extracting(TaskEvent::message).containsExactly(
                "queued on lane lane-a", "claimed by worker-1", "timeout after 120 s", "claimed by worker-2");
        assertThat(storage.events().list(task.id())).endsWith(claimed, failed, retried);
    }

    @Test
    void anEventForAnUnknownTaskIsRejected() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> storage.events().append(new TaskEvent(unknown, Instant.now(), "INFO", "x", 0)))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(storage.events().list(unknown)).isEmpty();
    }
}
