package dev.tasklane.core.model;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/** UUIDv7 ids (RFC 9562): the first 48 bits are the Unix millisecond, so ids sort by creation time. */
public final class Ids {
    /** Bytes of random bits per id: 2 for rand_a, 8 for rand_b. */
    private static final int BYTES_PER_ID = 10;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Random bits drawn from {@link #RANDOM} 4 KiB at a time: one call of the generator
     * (its lock and its read of the system's entropy source) per 409 ids instead of two
     * per id, which on the submit path cost more than making the rest of the id.
     */
    private static final ByteBuffer POOL = ByteBuffer.allocate(BYTES_PER_ID * 409).position(BYTES_PER_ID * 409);
    private static final ReentrantLock POOL_LOCK = new ReentrantLock();
    /**
     * The last (millisecond, rand_a) pair handed out, as one 60-bit number: ids made
     * in one millisecond count up from it, so they still sort in the order they were made.
     */
    private static final AtomicLong LAST_STAMP = new AtomicLong();

    private Ids() {}

    public static UUID newId(Clock clock) {
        long millis = clock.millis();
        long randA;
        long randB;
        POOL_LOCK.lock();
        try {
            if (!POOL.hasRemaining()) {
                RANDOM.nextBytes(POOL.array());
                POOL.clear();
            }
            randA = POOL.getShort() & 0xFFFL;
            randB = POOL.getLong();
        } finally {
            POOL_LOCK.unlock();
        }
        long fresh = (millis << 12) | randA;
        long stamp = LAST_STAMP.updateAndGet(last -> fresh > last ? fresh : last + 1);
        long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0xFFFL);
        long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
