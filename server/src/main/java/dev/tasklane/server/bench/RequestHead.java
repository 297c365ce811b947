package dev.tasklane.server.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Where an HTTP/1.1 request ends in a buffer of bytes read: its head, then a Content-Length body. */
final class RequestHead {
    private static final String CONTENT_LENGTH = "content-length:";

    private RequestHead() {}

    /**
     * @return the length of the request that starts at the buffer's position, head and
     *         body, or -1 while it has not all been read; the buffer is left as it was
     */
    static int wholeLength(ByteBuffer bytes) {
        int start = bytes.position();
        int end = bytes.limit();
        for (int i = start; i + 3 < end; i++) {
            if (bytes.get(i) == '\r' && bytes.get(i + 1) == '\n' && bytes.get(i + 2) == '\r' && bytes.get(i + 3) == '\n') {
                int headLength = i + 4 - start;
                int total = headLength + contentLength(bytes, start, headLength);
                return total <= end - start ? total : -1;
            }
        }
        return -1;
    }

    private static int contentLength(ByteBuffer bytes, int start, int headLength) {
        byte[] head = new byte[headLength];
        bytes.get(start, head);
        for (String line : new String(head, StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(CONTENT_LENGTH)) {
                return Integer.parseInt(line.substring(CONTENT_LENGTH.length()).trim());
            }
        }
        return 0;
    }
}
