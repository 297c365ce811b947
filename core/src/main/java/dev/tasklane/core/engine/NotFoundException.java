package dev.tasklane.core.engine;

/** A referenced id that does not exist for this tenant. */
public class NotFoundException extends RequestRejectedException {
    public NotFoundException(String field, String message) {
        super(field, message);
    }
}
