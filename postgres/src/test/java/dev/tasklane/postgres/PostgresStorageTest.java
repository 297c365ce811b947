package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.Submission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresStorageTest extends StorageTestBase {

    @Test
    void migratingAgainKeepsSchemaAndData() throws SQLException {
        Submission submission = data.standalone("embedding", "a");
        storage.tasks().insert(submission);

        storage.migrate();
        storage.migrate();

        assertThat(storage.tasks().find(data.tenant, submission.tasks().getFirst().id())).isPresent();
        try (Connection c = storage.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank")) {
            for (String version : List.of("1", "2", "3", "4")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("version")).isEqualTo(version);
                assertThat(rs.getBoolean("success")).isTrue();
            }
            assertThat(rs.next()).as("four applied migrations").isFalse();
        }
    }

    @Test
    void pingAnswersWhileOpenAndThrowsOnceClosed() {
        PostgresStorage second = PostgresStorage.open(database.jdbcUrl(), null, null, 1);
        second.ping();

        second.close();

        assertThatThrownBy(second::ping).isInstanceOf(StorageException.class);
    }

    @Test
    void openTakesTheUserApartFromTheUrl() {
        String url = database.jdbcUrl();
        String user = url.replaceAll(".*[?&]user=([^&]*).*", "$1");
        try (PostgresStorage separate = PostgresStorage.open(url.replaceAll("[?&]user=[^&]*", ""), user, null, 1)) {
            separate.ping();
        }
    }
}
