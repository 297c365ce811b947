package dev.tasklane.core.engine;

/** A request whose fields are well formed but cannot be served, e.g. an unknown task type. */
public class InvalidRequestException extends RequestRejectedException {
    public InvalidRequestException(String field, String message) {
        super(field, message);
    }
}
