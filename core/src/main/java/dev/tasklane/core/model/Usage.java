package dev.tasklane.core.model;

/** Token counts reported by the model; any of them may be unknown (null). */
public record Usage(Integer promptTokens, Integer completionTokens, Integer totalTokens) {}
