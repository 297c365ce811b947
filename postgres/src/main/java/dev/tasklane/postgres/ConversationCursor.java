package dev.tasklane.postgres;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of conversations ended: the last one's activity time and id, the sort key.
 * On the wire it is base64url of {@code <epoch microseconds>:<id>}; microseconds are what
 * timestamptz keeps, so the position is exact.
 */
record ConversationCursor(Instant lastActiveAt, UUID id) {

    String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, lastActiveAt);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static ConversationCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            long micros = Long.parseLong(text.substring(0, colon));
            return new ConversationCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                    UUID.fromString(text.substring(colon + 1)));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("malformed conversation cursor '" + cursor + "'", e);
        }
    }
}
