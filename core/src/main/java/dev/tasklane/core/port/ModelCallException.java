package dev.tasklane.core.port;

import java.time.Duration;

/** A failed model call, classified so the engine can decide whether to try again. */
public class ModelCallException extends Exception {

    public enum Kind {
        /** No answer within the timeout. */
        TIMEOUT,
        /** Could not connect, or the connection broke. */
        CONNECTION,
        /** The server answered with an error status. */
        HTTP_STATUS,
        /** The server answered 2xx with a body we cannot use. */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final int httpStatus;
    private final Duration retryAfter;

    public ModelCallException(Kind kind, int httpStatus, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status for {@link Kind#HTTP_STATUS}, else 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Timeouts, connection failures, 5xx and 429 may succeed on another try; the rest will not. */
    public boolean retryable() {
        return switch (kind) {
            case TIMEOUT, CONNECTION -> true;
            case HTTP_STATUS -> httpStatus == 429 || httpStatus >= 500;
            case BAD_RESPONSE -> false;
        };
    }

    /** The error code stored on the task. */
    public String code() {
        return switch (kind) {
            case TIMEOUT -> "timeout";
            case CONNECTION -> "connection_error";
            case HTTP_STATUS -> httpStatus == 429 ? "rate_limited" : "upstream_error";
            case BAD_RESPONSE -> "bad_output";
        };
    }
}
