package dev.tasklane.redis;

import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One XAUTOCLAIM reply, read from its raw form because Lettuce's typed reply drops what
 * matters for entries deleted while pending: Redis 7 removes them from the pending list
 * and names them in a third element (nothing left to do), while Redis 6.2 claims them
 * like the others and answers a nil in their place, so they stay pending for the claimer.
 *
 * @param nextCursor where the next XAUTOCLAIM of this stream starts; {@code 0-0} once the scan wrapped
 * @param claimed    the claimed entries that still exist, in id order
 * @param vanished   how many claimed entries came back as nil (Redis 6.2 only)
 */
record AutoClaimReply(String nextCursor, List<StreamMessage<String, String>> claimed, int vanished) {

    static AutoClaimReply parse(String stream, List<Object> reply) {
        List<StreamMessage<String, String>> claimed = new ArrayList<>();
        int vanished = 0;
        for (Object entry : (List<?>) reply.get(1)) {
            if (entry == null) {
                vanished++;
            } else {
                List<?> idAndFields = (List<?>) entry;
                claimed.add(new StreamMessage<>(stream, (String) idAndFields.get(0), fields((List<?>) idAndFields.get(1))));
            }
        }
        return new AutoClaimReply((String) reply.get(0), claimed, vanished);
    }

    private static Map<String, String> fields(List<?> flat) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return fields;
    }
}
