package dev.tasklane.core.port;

/** Calls one model node in one wire format. Implementations are thread-safe and stateless. */
public interface ModelClient {

    /** The provider name in the lane configuration, e.g. {@code openai}. */
    String provider();

    ModelResponse complete(ModelRequest request) throws ModelCallException;
}
