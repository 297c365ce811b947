package dev.tasklane.core.model;

/**
 * Why a task or one of its attempts failed.
 *
 * @param code      a stable word: timeout, rate_limited, upstream_error, bad_output, cancelled, internal_error, ...
 * @param message   for people; never a stack trace
 * @param retryable whether another attempt could succeed
 */
public record TaskError(String code, String message, boolean retryable) {}
