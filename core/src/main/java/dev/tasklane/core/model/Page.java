package dev.tasklane.core.model;

import java.util.List;

/** One page of a listing and the cursor of the next (null when this is the last). */
public record Page<T>(List<T> items, String nextCursor) {}
