package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.postgres.GroupCommit.Flush;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCommitFlushTest extends StorageTestBase {

    @Test
    void anAsyncGroupCommitsWithoutWaitingForTheDiskAndLeavesItsConnectionsAsTheyWere() {
        Database db = new Database(storage.dataSource());
        try (GroupCommit<Integer, String> async = new GroupCommit<>(db, "async", 1, 10, Flush.ASYNC, GroupCommitFlushTest::setting);
             GroupCommit<Integer, String> flushed = new GroupCommit<>(db, "flushed", 1, 10, Flush.WAIT, GroupCommitFlushTest::setting)) {
            assertThat(async.submit(1)).isEqualTo("off");
            assertThat(flushed.submit(1)).isEqualTo("on");
            // SET LOCAL ends with its transaction: every pooled connection is back to flushing
            for (int i = 0; i < 8; i++) {
                assertThat(db.withConnection(GroupCommitFlushTest::current)).isEqualTo("on");
            }
        }
    }

    private static List<String> setting(Connection c, List<Integer> items) throws SQLException {
        String value = current(c);
        List<String> answers = new ArrayList<>();
        items.forEach(item -> answers.add(value));
        return answers;
    }

    private static String current(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
