package dev.tasklane.core.engine;

import dev.tasklane.core.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The local slots held for the tasks of one submission ({@link LocalStart}), and the
 * tasks as they are to be written: claimed where a slot is held, queued elsewhere.
 */
final class HeldSlots {
    private final List<Task> tasks = new ArrayList<>();
    private final List<Optional<LocalStart>> slots = new ArrayList<>();

    HeldSlots(LocalLanes lanes, List<Task> queued) {
        for (Task task : queued) {
            Optional<LocalStart> slot = lanes.reserve(task.lane());
            slots.add(slot);
            tasks.add(slot.map(s -> s.claim(task)).orElse(task));
        }
    }

    List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** After the commit: starts the claimed tasks here and hands the others to {@code wakeUp}. */
    void start(Consumer<Task> wakeUp) {
        for (int i = 0; i < tasks.size(); i++) {
            Task task = tasks.get(i);
            slots.get(i).ifPresentOrElse(slot -> slot.start(task), () -> wakeUp.accept(task));
        }
    }

    /** When nothing was written: gives every held slot back. */
    void release() {
        slots.forEach(slot -> slot.ifPresent(LocalStart::release));
    }
}
