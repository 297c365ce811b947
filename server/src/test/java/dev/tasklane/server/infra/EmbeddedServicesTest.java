package dev.tasklane.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServicesTest {

    /** A 202 and an ack promise a commit that survives a crash, so commits must wait for the WAL flush. */
    @Test
    void theEmbeddedDatabaseFlushesEachCommitBeforeAnsweringIt(@TempDir Path home) throws Exception {
        try (EmbeddedServices services = new EmbeddedServices(home, false);
             Connection c = DriverManager.getConnection(services.startPostgres());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("fsync").isEqualTo("on");
            assertThat(rs.getString(2)).as("synchronous_commit").isEqualTo("on");
        }
    }
}
