package dev.tasklane.core.engine;

import java.time.Duration;

/**
 * How a worker process runs its lanes and keeps them healthy.
 *
 * @param workerId        this process's consumer name, written on every claim
 * @param grace           how long calls in flight may finish when the process stops
 * @param maxDeliveries   an entry delivered more often than this is dead-lettered
 * @param reconcileAfter  a queued task whose stream entry is missing is published again after this long
 * @param promoteInterval how often due scheduled tasks (retries) are queued again
 */
public record WorkerSettings(String workerId, Duration grace, int maxDeliveries, Duration reconcileAfter,
                             Duration promoteInterval) {}
