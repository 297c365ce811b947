package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Batch;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskError;
import dev.tasklane.core.model.TaskQuery;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.model.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchStoreTest extends StorageTestBase {

    @Test
    void tasksComeInSubmissionOrder() {
        Submission submission = data.standalone("embedding", "a", "b", "c");
        storage.tasks().insert(submission);
        // an update writes a new row version at the end of the table: storage order is no longer submission order
        succeed(submission.tasks().getFirst());

        Batch batch = storage.batches().find(data.tenant, submission.batchId()).orElseThrow();

        assertThat(batch.tasks()).extracting(Task::id)
                .containsExactlyElementsOf(submission.tasks().stream().map(Task::id).toList());
        assertThat(batch.createdAt()).isEqualTo(submission.tasks().getFirst().createdAt());
        assertThat(batch.conversationId()).isNull();
        assertThat(batch.tenantId()).isEqualTo(data.tenant);
    }

    @Test
    void countsAndStatusFollowTheTasks() {
        Submission submission = data.newConversation("hi", "a", "b", "c");
        storage.tasks().insert(submission);
        List<Task> tasks = submission.tasks();

        assertThat(batch(submission).conversationId()).isEqualTo(submission.conversationId());
        assertThat(batch(submission).counts()).containsEntry(TaskStatus.QUEUED, 3);
        assertThat(batch(submission).status()).isEqualTo("running");

        succeed(tasks.get(0));
        fail(tasks.get(1));
        Map<TaskStatus, Integer> counts = batch(submission).counts();
        assertThat(counts).containsEntry(TaskStatus.SUCCEEDED, 1).containsEntry(TaskStatus.FAILED, 1)
                .containsEntry(TaskStatus.QUEUED, 1).containsEntry(TaskStatus.RUNNING, 0);
        assertThat(batch(submission).status()).isEqualTo("running");

        fail(tasks.get(2));
        assertThat(batch(submission).status()).isEqualTo("partial");
    }

    @Test
    void aBatchEndsSucceededWhenAllDidAndFailedWhenNoneDid() {
        Submission good = data.standalone("embedding", "a", "b");
        Submission bad = data.standalone("embedding", "a", "b");
        storage.tasks().insert(good);
        storage.tasks().insert(bad);

        good.tasks().forEach(this::succeed);
        bad.tasks().forEach(this::fail);

        assertThat(batch(good).status()).isEqualTo("succeeded");
        assertThat(batch(bad).status()).isEqualTo("failed");
    }

    @Test
    void anotherTenantsBatchIsNotFound() {
        Submission submission = data.standalone("embedding", "a");
        storage.tasks().insert(submission);

        assertThat(storage.batches().find("someone-else", submission.batchId())).isEmpty();
        assertThat(storage.batches().find(data.tenant, UUID.randomUUID())).isEmpty();
    }

    @Test
    void aLoneTaskIsABatchOfOneUnderItsOwnId() {
        UUID id = UUID.randomUUID();
        Task lone = Task.newQueued(id, data.tenant, id, null, "work", null, "lane-a", Priority.NORMAL, null, null,
                null, null, null, data.now());
        storage.tasks().insert(new Submission(data.tenant, id, null, false, null, null, null, List.of(lone),
                data.now(), null));

        assertThat(storage.batches().find(data.tenant, id).orElseThrow().tasks()).extracting(Task::id)
                .containsExactly(id);
        assertThat(storage.tasks().list(data.tenant, byBatch(id)).items()).extracting(Task::id).containsExactly(id);
        assertThat(storage.tasks().cancelBatch(data.tenant, id, data.now())).extracting(Task::id)
                .containsExactly(id);
    }

    @Test
    void aTaskOfALargerBatchIsNoBatchOfItsOwn() {
        Submission submission = data.standalone("embedding", "a", "b");
        storage.tasks().insert(submission);
        UUID member = submission.tasks().getFirst().id();

        assertThat(storage.batches().find(data.tenant, member)).isEmpty();
        assertThat(storage.tasks().list(data.tenant, byBatch(member)).items()).isEmpty();
        assertThat(storage.tasks().cancelBatch(data.tenant, member, data.now())).isEmpty();
        assertThat(batch(submission).counts()).containsEntry(TaskStatus.QUEUED, 2);
    }

    private static TaskQuery byBatch(UUID batchId) {
        return new TaskQuery(null, null, null, null, batchId, null, null, null, null, 10);
    }

    private Batch batch(Submission submission) {
        return storage.batches().find(data.tenant, submission.batchId()).orElseThrow();
    }

    private void succeed(Task task) {
        Task running = claimAtNow(task);
        assertThat(storage.tasks().complete(running.id(), running.attempt(),
                new TaskResult("ok", null, null, null, null), data.now()).join()).isTrue();
    }

    private void fail(Task task) {
        Task running = claimAtNow(task);
        assertThat(storage.tasks().fail(running.id(), running.attempt(),
                new TaskError("upstream_error", "502", false), data.now())).isTrue();
    }

    private Task claimAtNow(Task task) {
        return storage.tasks().claim(task.id(), "worker-1", data.now().plusSeconds(60), data.now()).join()
                .orElseThrow();
    }
}
