package dev.tasklane.core.model;

/** One message sent to a chat model: role is system, user or assistant. */
public record ChatMessage(String role, String content) {}
