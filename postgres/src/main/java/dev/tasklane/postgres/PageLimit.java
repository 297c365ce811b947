package dev.tasklane.postgres;

/** The bound every listing puts on its page size. */
final class PageLimit {
    static final int MAX = 500;

    private PageLimit() {}

    /** Throws {@link IllegalArgumentException} unless {@code limit} is 1..{@value #MAX}. */
    static void check(int limit) {
        if (limit < 1 || limit > MAX) {
            throw new IllegalArgumentException("limit must be 1.." + MAX + ", was " + limit);
        }
    }
}
