package dev.tasklane.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each cancel signal that arrives on the pub/sub connection to every registered listener,
 * in registration order, on Lettuce's I/O thread (so listeners must return quickly). One that
 * throws is logged and skipped; the others still get the signal.
 */
final class CancelListeners extends RedisPubSubAdapter<String, String> {
    private static final Logger log = LoggerFactory.getLogger(CancelListeners.class);

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    /** One listener; once {@link #deactivate() deactivated} it gets no signal that was not already being handed to it. */
    static final class Registration {
        private final Consumer<UUID> listener;
        private volatile boolean active = true;

        private Registration(Consumer<UUID> listener) {
            this.listener = listener;
        }

        private void deactivate() {
            active = false;
        }
    }

    Registration add(Consumer<UUID> listener) {
        Registration registration = new Registration(listener);
        registrations.add(registration);
        return registration;
    }

    /** Stops the listener; false when it was removed before. */
    boolean remove(Registration registration) {
        registration.deactivate();
        return registrations.remove(registration);
    }

    void removeAll() {
        registrations.forEach(Registration::deactivate);
        registrations.clear();
    }

    boolean isEmpty() {
        return registrations.isEmpty();
    }

    @Override
    public void message(String channel, String message) {
        UUID taskId = TaskIds.parseOrNull(message);
        if (taskId == null) {
            log.warn("Ignoring a cancel signal on {} that names no task: '{}'", channel, message);
            return;
        }
        for (Registration registration : registrations) {
            if (registration.active) {
                deliver(registration, taskId);
            }
        }
    }

    // Exception, not RuntimeException: a listener may throw a checked one undeclared.
    private static void deliver(Registration registration, UUID taskId) {
        try {
            registration.listener.accept(taskId);
        } catch (Exception e) {
            log.warn("A cancel listener failed on task {}", taskId, e);
        }
    }
}
