package dev.tasklane.server.api;

/** A body, or a part of it such as the prompt, over its configured size limit. */
public class BodyTooLargeException extends RuntimeException {
    public BodyTooLargeException(String message) {
        super(message);
    }
}
