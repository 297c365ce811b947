package dev.tasklane.core.model;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** UUIDv7 ids (RFC 9562): the first 48 bits are the Unix millisecond, so ids sort by creation time. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The last (millisecond, rand_a) pair handed out, as one 60-bit number: ids made
     * in one millisecond count up from it, so they still sort in the order they were made.
     */
    private static final AtomicLong LAST_STAMP = new AtomicLong();

    private Ids() {}

    public static UUID newId(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextInt() & 0xFFFL;
        long fresh = (millis << 12) | randA;
        long stamp = LAST_STAMP.updateAndGet(last -> fresh > last ? fresh : last + 1);
        long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0xFFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
