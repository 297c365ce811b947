package dev.tasklane.core.engine;

/** Why a running attempt was interrupted; decides what the worker writes afterwards. */
public enum AbortReason {
    /** The attempt ran past its timeout: it fails as {@code timeout} and may be retried. */
    TIMEOUT,
    /** A client cancelled the task: the database already says so; nothing to write. */
    CANCELLED,
    /** The lease could not be renewed: another worker may hold the task; write nothing, acknowledge nothing. */
    LEASE_LOST,
    /** The process is stopping: hand the task back to its lane at once. */
    SHUTDOWN
}
