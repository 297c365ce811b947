package dev.tasklane.core.model;

import java.time.Instant;
import java.util.UUID;

public record Conversation(UUID id, String tenantId, String systemPrompt, Instant createdAt, Instant lastActiveAt) {}
