package dev.tasklane.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The pool and the two ways the stores use it: statements on their own, or several in one transaction. */
final class Database {

    /** Work done with one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The pool behind it. */
    DataSource dataSource() {
        return dataSource;
    }

    /** Runs the work with auto-commit on: each statement commits by itself. */
    <T> T withConnection(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /** Runs the work in one transaction: all of it commits, or, on any exception, none of it. */
    <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, work);
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    /**
     * Runs the work in one transaction on a connection the caller holds in auto-commit,
     * e.g. in a group-commit write that needs several statements only now and then.
     */
    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        // the pool resets auto-commit when the connection is handed back
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(connection, e);
            throw e;
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
