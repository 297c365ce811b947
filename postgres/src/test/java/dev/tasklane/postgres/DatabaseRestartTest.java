package dev.tasklane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.Submission;
import dev.tasklane.testing.PrivatePostgres;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A database of its own that the test stops and starts, as an operator's restart would. */
class DatabaseRestartTest {

    @Test
    void dataOutlivesARestart() {
        try (PrivatePostgres postgres = PrivatePostgres.create()) {
            TestData data = new TestData();
            Submission submission = data.standalone("embedding", "a");
            UUID taskId = submission.tasks().getFirst().id();
            try (PostgresStorage storage = PostgresStorage.open(postgres.jdbcUrl(), null, null, 1)) {
                storage.migrate();
                storage.tasks().insert(submission);
            }

            postgres.stop();
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl()).close())
                    .isInstanceOf(SQLException.class);

            postgres.start();
            try (PostgresStorage storage = PostgresStorage.open(postgres.jdbcUrl(), null, null, 1)) {
                assertThat(storage.tasks().find(data.tenant, taskId)).isPresent();
            }
        }
    }
}
