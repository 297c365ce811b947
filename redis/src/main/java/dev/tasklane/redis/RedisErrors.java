package dev.tasklane.redis;

import io.lettuce.core.RedisCommandExecutionException;

/** Recognizes Redis error replies by their code, the first word of the message. */
final class RedisErrors {
    private RedisErrors() {}

    /** True when Redis answered with this error code, e.g. {@code NOGROUP}. */
    static boolean hasCode(RedisCommandExecutionException error, String code) {
        return error.getMessage() != null && error.getMessage().startsWith(code + " ");
    }
}
