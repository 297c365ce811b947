package dev.tasklane.core.engine;

/** A request the engine refuses before writing anything, naming the field at fault. */
public class InvalidRequestException extends RuntimeException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
