package dev.tasklane.core.lane;

import java.time.Duration;
import java.util.List;

/**
 * One lane as configured.
 *
 * @param models      glob patterns (case-insensitive) of the model names it serves
 * @param provider    the wire format of its nodes, e.g. {@code openai}
 * @param concurrency most tasks of this lane in flight in one worker process
 * @param timeout     bound on one attempt
 * @param lease       how long a claim holds before another worker may take the task
 * @param maxAttempts attempts per task unless the task says otherwise
 * @param backoff     waits between attempts
 */
public record LaneConfig(String name, List<String> models, String provider, int concurrency, Duration timeout,
                         Duration lease, int maxAttempts, RetryPolicy backoff, List<NodeConfig> nodes) {

    public LaneConfig {
        models = List.copyOf(models);
        nodes = List.copyOf(nodes);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max_attempts must be at least 1");
        }
    }
}
