package dev.tasklane.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tasklane.core.port.BatchStore;
import dev.tasklane.core.port.ConversationStore;
import dev.tasklane.core.port.DeadLetterStore;
import dev.tasklane.core.port.SystemLog;
import dev.tasklane.core.port.TaskEventLog;
import dev.tasklane.core.port.TaskStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Tasklane's PostgreSQL backend: one connection pool (and a connection or two of their
 * own for the claim and result groups), the schema migrations, and the stores built on
 * them. Open it, {@link #migrate()} once at start, and close it at the end.
 */
public final class PostgresStorage implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final GroupConnections groupConnections;
    private final TaskStore tasks;
    private final BatchStore batches;
    private final ConversationStore conversations;
    private final TaskEventLog events;
    private final DeadLetterStore deadLetters;
    private final SystemLog systemLog;

    private PostgresStorage(HikariDataSource dataSource, GroupConnections groupConnections) {
        this.dataSource = dataSource;
        this.groupConnections = groupConnections;
        Database db = new Database(dataSource);
        this.tasks = new JdbcTaskStore(db, groupConnections);
        this.batches = new JdbcBatchStore(db);
        this.conversations = new JdbcConversationStore(db);
        this.events = new JdbcTaskEventLog(db);
        this.deadLetters = new JdbcDeadLetterStore(db);
        this.systemLog = new JdbcSystemLog(db);
    }

    /**
     * Opens a pool of {@code poolSize} connections, and the claim and result groups' own (one
     * each on a machine of fewer than four cores, else two, and one more each during a burst);
     * fails at once when the database cannot be reached.
     *
     * @param user     null when the URL carries it
     * @param password null when the URL carries it, or none is needed
     */
    public static PostgresStorage open(String jdbcUrl, String user, String password, int poolSize) {
        HikariDataSource pool = new HikariDataSource(poolConfig("tasklane-postgres", jdbcUrl, user, password, poolSize));
        GroupConnections groupConnections = new GroupConnections(jdbcUrl, user, password);
        try {
            return new PostgresStorage(pool, groupConnections);
        } catch (RuntimeException e) {
            groupConnections.close();
            pool.close();
            throw e;
        }
    }

    /** The settings every pool of this backend shares. */
    static HikariConfig poolConfig(String name, String jdbcUrl, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        // lets the driver turn a batch of single-row INSERTs into multi-row statements
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return config;
    }

    /**
     * Brings the schema up to date; a schema already current is left alone. Flyway takes
     * two connections of its own rather than the pool's, which may hold only one.
     */
    public void migrate() {
        Flyway.configure()
                .dataSource(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public TaskStore tasks() {
        return tasks;
    }

    public BatchStore batches() {
        return batches;
    }

    public ConversationStore conversations() {
        return conversations;
    }

    public TaskEventLog events() {
        return events;
    }

    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    public SystemLog systemLog() {
        return systemLog;
    }

    /** Runs {@code SELECT 1}; throws {@link StorageException} when the database does not answer. */
    public void ping() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        } catch (SQLException e) {
            throw new StorageException("database does not answer: " + e.getMessage(), e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        ((JdbcTaskStore) tasks).close();
        ((JdbcTaskEventLog) events).close();
        groupConnections.close();
        dataSource.close();
    }
}
