package dev.tasklane.core.engine;

/** No lane's route matches the model; the message lists every lane's patterns. */
public class NoRouteException extends RequestRejectedException {
    public NoRouteException(String field, String message) {
        super(field, message);
    }
}
