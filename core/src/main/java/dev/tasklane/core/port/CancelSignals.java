package dev.tasklane.core.port;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * Tells every worker process at once that a task was cancelled, so the one running
 * it aborts its model call. Best effort: a lost signal is caught by the next lease renewal.
 */
public interface CancelSignals {

    void publish(UUID taskId);

    /** Calls {@code listener} for every signal until the returned handle is closed. */
    AutoCloseable subscribe(Consumer<UUID> listener);
}
