package dev.tasklane.postgres;

/** A database call failed: the connection, the SQL or a constraint. The cause is the driver's exception. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
