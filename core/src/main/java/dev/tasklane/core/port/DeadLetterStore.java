package dev.tasklane.core.port;

import dev.tasklane.core.model.DeadLetter;
import dev.tasklane.core.model.Page;
import java.util.Optional;
import java.util.UUID;

/** Stream entries no worker could process (operator data: not scoped to a tenant). */
public interface DeadLetterStore {

    void add(DeadLetter letter);

    /** Newest first, optionally of one lane; the cursor is opaque to callers (a bad one throws IllegalArgumentException). */
    Page<DeadLetter> list(String lane, int limit, String cursor);

    Optional<DeadLetter> find(UUID id);

    /** False when unknown. */
    boolean delete(UUID id);
}
