package dev.tasklane.core.lane;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next attempt: exponential back-off with full jitter
 * between half and all of the step, unless the model said when (Retry-After), which
 * wins up to {@link #MAX_RETRY_AFTER}.
 *
 * @param initial    the wait after the first failed attempt (before jitter)
 * @param max        no back-off step is longer
 * @param multiplier growth per attempt, at least 1
 */
public record RetryPolicy(Duration initial, Duration max, double multiplier) {
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 2.0);

    public RetryPolicy {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max");
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1");
        }
    }

    /**
     * @param failedAttempt the attempt that just failed, from 1
     * @param retryAfter    the model's Retry-After, or null
     */
    public Duration delay(int failedAttempt, Duration retryAfter, RandomGenerator random) {
        if (retryAfter != null) {
            return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER
                    : retryAfter.isNegative() ? Duration.ZERO : retryAfter;
        }
        double step = initial.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempt - 1));
        long capped = (long) Math.min(step, max.toMillis());
        return Duration.ofMillis(capped / 2 + (capped > 1 ? random.nextLong(capped - capped / 2 + 1) : 0));
    }
}
