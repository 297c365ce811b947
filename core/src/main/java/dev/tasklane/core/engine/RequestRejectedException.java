package dev.tasklane.core.engine;

/** A request the engine refuses before writing anything; names the request field at fault, if one is. */
public abstract class RequestRejectedException extends RuntimeException {
    private final String field;

    protected RequestRejectedException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field at fault, or null when the path named the missing thing. */
    public String field() {
        return field;
    }
}
