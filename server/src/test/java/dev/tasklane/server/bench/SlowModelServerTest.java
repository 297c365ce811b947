package dev.tasklane.server.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The benchmark's model server answers each request on a keep-alive connection, after its delay. */
class SlowModelServerTest {
    private static final String BODY = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
    private static final String REQUEST = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/json\r\ncontent-length: " + BODY.length() + "\r\n\r\n" + BODY;

    @Test
    void answersEveryRequestOfAConnectionNoSoonerThanItsDelay() throws Exception {
        long delay = 300;
        try (SlowModelServer model = new SlowModelServer((int) delay);
             Socket socket = new Socket("127.0.0.1", URI.create(model.baseUrl()).getPort())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long sent = System.nanoTime();
            // the first request arrives in two parts, the second right behind it
            out.write(REQUEST.substring(0, 40).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            out.write((REQUEST.substring(40) + REQUEST).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String first = readAnswer(in);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(delay));
            String second = readAnswer(in);
            assertThat(first).startsWith("HTTP/1.1 200 OK").contains("\"content\":\"ok\"");
            assertThat(second).isEqualTo(first);
        }
    }

    @Test
    void closingEndsItsConnectionsAndStopsListening() throws Exception {
        SlowModelServer model = new SlowModelServer(60_000);
        int port = URI.create(model.baseUrl()).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            model.close();
            // the request's answer was not due yet: the connection ends without one (a FIN, or
            // a reset when the request was still unread)
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aRequestIsWholeOnlyWithItsWholeBody() {
        byte[] request = REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RequestHead.wholeLength(ByteBuffer.wrap(request))).isEqualTo(request.length);
        assertThat(RequestHead.wholeLength(ByteBuffer.wrap(request, 0, request.length - 1))).isEqualTo(-1);
        assertThat(RequestHead.wholeLength(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))
                .isEqualTo(18);
    }

    /** One answer: its head, then as many body bytes as its Content-Length says. */
    private static String readAnswer(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the connection stays open").isNotNegative();
            head.append((char) b);
        }
        String lengthLine = head.toString().lines().filter(l -> l.startsWith("Content-Length:")).findFirst().orElseThrow();
        byte[] body = in.readNBytes(Integer.parseInt(lengthLine.substring("Content-Length:".length()).trim()));
        return head + new String(body, StandardCharsets.UTF_8);
    }
}
