package dev.tasklane.postgres;

import static dev.tasklane.postgres.TestData.withKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.port.TaskStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdempotencyTest extends StorageTestBase {

    private TaskStore tasks;

    @BeforeEach
    void stores() {
        tasks = storage.tasks();
    }

    @Test
    void theKeyIsStoredOnEveryTaskOfTheSubmission() {
        Submission chat = withKey(data.newConversation("hi", "a", "b"), "chat-key");

        assertThat(tasks.insert(chat)).isEmpty();

        for (Task task : chat.tasks()) {
            assertThat(tasks.find(data.tenant, task.id()).orElseThrow().idempotencyKey()).isEqualTo("chat-key");
        }
    }

    @Test
    void theSameKeyWithinADayReturnsTheFirstBatchAndWritesNothing() {
        Submission first = withKey(data.standalone("embedding", "a"), "key");
        tasks.insert(first);
        data.advance(Duration.ofHours(23));
        Submission again = withKey(data.newConversation("hello", "a", "b"), "key");

        assertThat(tasks.insert(again)).contains(first.batchId());

        assertThat(storage.batches().find(data.tenant, again.batchId())).isEmpty();
        assertThat(storage.conversations().find(data.tenant, again.conversationId())).isEmpty();
        for (Task task : again.tasks()) {
            assertThat(tasks.find(data.tenant, task.id())).isEmpty();
            assertThat(storage.events().list(task.id())).isEmpty();
        }
        assertThat(number("SELECT count(*) FROM messages WHERE tenant_id = ?", data.tenant)).isZero();
    }

    @Test
    void anotherTenantsKeyIsNoMatch() {
        tasks.insert(withKey(data.standalone("embedding", "a"), "shared"));
        TestData other = new TestData();
        Submission theirs = withKey(other.standalone("embedding", "a"), "shared");

        assertThat(tasks.insert(theirs)).isEmpty();

        assertThat(storage.batches().find(other.tenant, theirs.batchId())).isPresent();
    }

    @Test
    void aKeyUsedMoreThanADayAgoIsTakenOverByTheNextUse() {
        Submission first = withKey(data.standalone("embedding", "a"), "key");
        tasks.insert(first);
        // the two ids the next submission takes move the clock 2 ms
        data.advance(Duration.ofHours(24).minusMillis(2).plusNanos(1000));
        Submission second = withKey(data.standalone("embedding", "a"), "key");
        data.advance(Duration.ofHours(1));
        Submission third = withKey(data.standalone("embedding", "a"), "key");

        assertThat(second.createdAt()).isEqualTo(first.createdAt().plus(Duration.ofHours(24)).plusNanos(1000));
        assertThat(tasks.insert(second)).isEmpty();
        assertThat(tasks.insert(third)).contains(second.batchId());

        assertThat(storage.batches().find(data.tenant, first.batchId())).isPresent();
        assertThat(storage.batches().find(data.tenant, second.batchId())).isPresent();
        assertThat(storage.batches().find(data.tenant, third.batchId())).isEmpty();
    }

    @Test
    void aKeyExactlyADayOldIsStillHeld() {
        Submission first = withKey(data.standalone("embedding", "a"), "key");
        tasks.insert(first);
        data.advance(Duration.ofHours(24).minusMillis(2));
        Submission second = withKey(data.standalone("embedding", "a"), "key");

        assertThat(second.createdAt()).isEqualTo(first.createdAt().plus(Duration.ofHours(24)));
        assertThat(tasks.insert(second)).contains(first.batchId());
    }

    @Test
    void concurrentSubmissionsWithOneKeyWriteOneBatch() throws Exception {
        int threads = 4;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int round = 0; round < 20; round++) {
                String key = "race-" + round;
                CyclicBarrier together = new CyclicBarrier(threads);
                List<Submission> submissions = new ArrayList<>();
                List<Future<Optional<UUID>>> outcomes = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Submission s = withKey(data.standalone("embedding", "a"), key);
                    submissions.add(s);
                    outcomes.add(pool.submit(() -> {
                        together.await();
                        return tasks.insert(s);
                    }));
                }
                List<UUID> winners = new ArrayList<>();
                List<UUID> pointedTo = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    Optional<UUID> earlier = outcomes.get(i).get();
                    if (earlier.isPresent()) {
                        pointedTo.add(earlier.get());
                    } else {
                        winners.add(submissions.get(i).batchId());
                    }
                }

                assertThat(winners).as("round %d", round).hasSize(1);
                assertThat(pointedTo).hasSize(threads - 1).containsOnly(winners.getFirst());
                assertThat(number("SELECT count(*) FROM tasks WHERE tenant_id = ? AND idempotency_key = ?",
                        data.tenant, key)).isEqualTo(1);
            }
        }
    }
}
