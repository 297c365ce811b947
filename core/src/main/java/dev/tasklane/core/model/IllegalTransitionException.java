package dev.tasklane.core.model;

/** A status change the transition table forbids: always a programming error. */
public class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(TaskStatus from, TaskStatus to) {
        super("illegal task status change " + from.wire() + " -> " + to.wire());
    }
}
