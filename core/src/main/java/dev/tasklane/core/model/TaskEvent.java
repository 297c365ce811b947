package dev.tasklane.core.model;

import java.time.Instant;
import java.util.UUID;

/** One line of a task's log: queued, claimed, called a node, failed and why, ... */
public record TaskEvent(UUID taskId, Instant ts, String level, String message, int attempt) {}
