package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.core.port.SystemLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** System log entries belong to no tenant, so each test starts from an empty table. */
class SystemLogTest extends StorageTestBase {

    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private SystemLog log;

    @BeforeEach
    void emptyTable() {
        truncate("system_logs");
        log = storage.systemLog();
        warnings.start();
        ((Logger) LoggerFactory.getLogger(JdbcSystemLog.class)).addAppender(warnings);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger(JdbcSystemLog.class)).detachAppender(warnings);
    }

    @Test
    void recordedEntriesListNewestFirstWithTheirIds() {
        SystemLogEntry failure = SystemLogEntry.of(data.now(), "ERROR", "worker", "worker-1", "handler crashed",
                new IllegalStateException("boom"));
        SystemLogEntry bare = new SystemLogEntry(0, data.now().plusSeconds(1), "WARN", "gateway", null, "slow", null);

        log.record(failure);
        log.record(bare);

        List<SystemLogEntry> listed = log.list(10, null).items();
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).id()).isGreaterThan(listed.get(1).id()).isPositive();
        assertThat(withoutId(listed.get(0))).isEqualTo(bare);
        assertThat(withoutId(listed.get(1))).isEqualTo(failure);
        assertThat(failure.stackTrace()).contains("boom");
    }

    @Test
    void pagesFollowTheCursorToTheEnd() {
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recorded.addFirst("error " + i);
            log.record(new SystemLogEntry(0, data.now(), "ERROR", "worker", "worker-1", "error " + i, null));
        }

        Page<SystemLogEntry> first = log.list(2, null);
        Page<SystemLogEntry> second = log.list(2, first.nextCursor());
        Page<SystemLogEntry> third = log.list(2, second.nextCursor());

        List<String> listed = new ArrayList<>();
        for (Page<SystemLogEntry> page : List.of(first, second, third)) {
            page.items().forEach(e -> listed.add(e.message()));
        }
        assertThat(listed).containsExactlyElementsOf(recorded);
        assertThat(third.items()).hasSize(1);
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void anEntryThatCannotBeStoredIsLoggedInstead() {
        log.record(new SystemLogEntry(0, data.now(), "ERROR", "worker", "worker-1", null, null));
        PostgresStorage closed = PostgresStorage.open(database.jdbcUrl(), null, null, 1);
        closed.close();
        closed.systemLog().record(new SystemLogEntry(0, data.now(), "ERROR", "gateway", null, "lost", null));

        assertThat(log.list(10, null).items()).isEmpty();
        assertThat(warnings.list).hasSize(2).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
        assertThat(warnings.list.get(1).getFormattedMessage()).contains("lost");
    }

    @Test
    void aMalformedCursorOrLimitIsRejected() {
        assertThatThrownBy(() -> log.list(5, "x1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.list(0, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static SystemLogEntry withoutId(SystemLogEntry e) {
        return new SystemLogEntry(0, e.ts(), e.level(), e.source(), e.workerId(), e.message(), e.stackTrace());
    }
}
