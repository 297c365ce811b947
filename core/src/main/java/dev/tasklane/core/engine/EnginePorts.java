package dev.tasklane.core.engine;

import dev.tasklane.core.port.CancelSignals;
import dev.tasklane.core.port.DeadLetterStore;
import dev.tasklane.core.port.LaneQueue;
import dev.tasklane.core.port.SystemLog;
import dev.tasklane.core.port.TaskEventLog;
import dev.tasklane.core.port.TaskStore;
import java.time.Clock;

/** The ports a worker process's engine runs on, passed around as one. */
public record EnginePorts(TaskStore tasks, TaskEventLog events, LaneQueue queue, DeadLetterStore deadLetters,
                          SystemLog systemLog, CancelSignals cancelSignals, Clock clock) {}
