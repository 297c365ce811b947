package dev.tasklane.core.model;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** UUIDv7 ids (RFC 9562): the first 48 bits are the Unix millisecond, so ids sort by creation time. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static UUID newId(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextInt() & 0xFFFL;
        long msb = (millis << 16) | 0x7000L | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
