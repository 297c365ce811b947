package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.DeadLetter;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.port.DeadLetterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead letters belong to no tenant, so each test starts from an empty table. */
class DeadLetterStoreTest extends StorageTestBase {

    private DeadLetterStore letters;

    @BeforeEach
    void emptyTable() {
        truncate("dead_letters");
        letters = storage.deadLetters();
    }

    @Test
    void aLetterReadsBackUntilDeleted() {
        DeadLetter letter = letter("lane-a");
        DeadLetter bare = new DeadLetter(data.nextId(), null, "lane-a", "1700000000000-1", null, "no task id",
                null, 1, data.now());
        letters.add(letter);
        letters.add(bare);

        assertThat(letters.find(letter.id())).contains(letter);
        assertThat(letters.find(bare.id())).contains(bare);

        assertThat(letters.delete(letter.id())).isTrue();
        assertThat(letters.find(letter.id())).isEmpty();
        assertThat(letters.delete(letter.id())).isFalse();
        assertThat(letters.find(bare.id())).contains(bare);
        assertThat(letters.delete(UUID.randomUUID())).isFalse();
    }

    @Test
    void pagesListNewestFirstToTheEnd() {
        List<DeadLetter> added = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            added.add(letter(i % 2 == 0 ? "lane-a" : "lane-b"));
        }
        added.reversed().forEach(letters::add);
        List<DeadLetter> newestFirst = added.reversed();

        Page<DeadLetter> first = letters.list(null, 3, null);
        Page<DeadLetter> second = letters.list(null, 3, first.nextCursor());
        Page<DeadLetter> third = letters.list(null, 3, second.nextCursor());

        assertThat(first.items()).containsExactlyElementsOf(newestFirst.subList(0, 3));
        assertThat(second.items()).containsExactlyElementsOf(newestFirst.subList(3, 6));
        assertThat(third.items()).containsExactlyElementsOf(newestFirst.subList(6, 7));
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void aLaneListsOnlyItsOwnLetters() {
        DeadLetter a1 = letter("lane-a");
        DeadLetter b = letter("lane-b");
        DeadLetter a2 = letter("lane-a");
        List.of(a1, b, a2).forEach(letters::add);

        Page<DeadLetter> first = letters.list("lane-a", 1, null);
        Page<DeadLetter> rest = letters.list("lane-a", 5, first.nextCursor());

        assertThat(first.items()).containsExactly(a2);
        assertThat(rest.items()).containsExactly(a1);
        assertThat(rest.nextCursor()).isNull();
        assertThat(letters.list("lane-c", 5, null).items()).isEmpty();
    }

    @Test
    void aMalformedCursorOrLimitIsRejected() {
        assertThatThrownBy(() -> letters.list(null, 5, "not-a-cursor")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> letters.list(null, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> letters.list(null, 501, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private DeadLetter letter(String lane) {
        UUID id = data.nextId();
        return new DeadLetter(id, data.tenant, lane, "1700000000000-" + id.hashCode(), data.nextId(),
                "delivered 5 times without an ack", "{task_id=" + id + "}", 5, data.now());
    }
}
