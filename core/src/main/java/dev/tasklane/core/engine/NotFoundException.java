package dev.tasklane.core.engine;

/** A referenced id that does not exist for this tenant. */
public class NotFoundException extends RuntimeException {
    private final String field;

    public NotFoundException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field that named the missing thing, or null for a path id. */
    public String field() {
        return field;
    }
}
