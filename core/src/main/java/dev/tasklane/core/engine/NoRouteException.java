package dev.tasklane.core.engine;

/** No lane's route matches the model; the message lists every lane's patterns. */
public class NoRouteException extends RuntimeException {
    private final String field;

    public NoRouteException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
