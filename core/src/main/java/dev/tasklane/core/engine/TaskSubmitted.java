package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;

/**
 * The task a submission created, committed.
 *
 * @param replayed true when an idempotency key returned an earlier task instead
 */
public record TaskSubmitted(Task task, boolean replayed) {}
