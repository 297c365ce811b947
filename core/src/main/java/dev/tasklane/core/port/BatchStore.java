package dev.tasklane.core.port;

import dev.tasklane.core.model.Batch;
import java.util.Optional;
import java.util.UUID;

public interface BatchStore {
    /** The batch with all its tasks, in submission order. */
    Optional<Batch> find(String tenantId, UUID batchId);
}
