package dev.tasklane.core.model;

import java.util.Locale;

/** A task's priority; each has its own stream on a lane, read highest first. */
public enum Priority {
    HIGH, NORMAL, LOW;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Priority fromWire(String word) {
        for (Priority p : values()) {
            if (p.wire().equals(word)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown priority '" + word + "'");
    }
}
