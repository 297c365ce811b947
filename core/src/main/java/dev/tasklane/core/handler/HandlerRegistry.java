package dev.tasklane.core.handler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The task types this process can run, by name. */
public final class HandlerRegistry {
    private final Map<String, TaskHandler> byType = new LinkedHashMap<>();

    public HandlerRegistry(List<TaskHandler> handlers) {
        handlers.forEach(h -> byType.put(h.type(), h));
    }

    public Optional<TaskHandler> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
