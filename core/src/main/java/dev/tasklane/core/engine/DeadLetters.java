package dev.tasklane.core.engine;

import dev.tasklane.core.model.DeadLetter;
import dev.tasklane.core.model.Ids;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskEvent;
import dev.tasklane.core.port.Delivery;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stores an entry no worker can process with the reason, then acknowledges it so the lane keeps flowing. */
final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final EnginePorts ports;

    DeadLetters(EnginePorts ports) {
        this.ports = ports;
    }

    void bury(Delivery delivery, Optional<Task> task, String reason) {
        ports.deadLetters().add(new DeadLetter(Ids.newId(ports.clock()), task.map(Task::tenantId).orElse(null),
                delivery.lane(), delivery.entryId(), delivery.taskId(), reason, delivery.payload(),
                delivery.deliveries(), ports.clock().instant()));
        ports.queue().ack(List.of(delivery));
        log.warn("lane {}: entry {} dead-lettered: {}", delivery.lane(), delivery.entryId(), reason);
        task.ifPresent(t -> ports.events().append(new TaskEvent(t.id(), ports.clock().instant(), "WARN",
                "stream entry " + delivery.entryId() + " dead-lettered: " + reason, t.attempt())));
    }
}
