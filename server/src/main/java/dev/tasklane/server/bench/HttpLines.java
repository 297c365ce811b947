package dev.tasklane.server.bench;

import java.io.IOException;
import java.io.InputStream;

/** Lines of an HTTP/1.1 head, for the benchmark's own minimal client. */
final class HttpLines {
    private HttpLines() {}

    /** One line without its CR LF; null when the stream ends first. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return null;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
