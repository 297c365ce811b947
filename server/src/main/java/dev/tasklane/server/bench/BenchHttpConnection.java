package dev.tasklane.server.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that POSTs JSON and reads the answer, and nothing
 * more: the load generator shares the machine with the server it measures, so it
 * spends as little CPU per request as it can (a general client costs several times more).
 */
final class BenchHttpConnection implements AutoCloseable {
    /** An answer: status and body. */
    record Answer(int status, String body) {}

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    private boolean closeAfterAnswer;

    BenchHttpConnection(String host, int port) throws IOException {
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.host = host + ":" + port;
    }

    /** Whether the server asked to close after its last answer. */
    boolean reusable() {
        return !closeAfterAnswer && !socket.isClosed();
    }

    Answer post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        out.write(request);
        out.flush();
        return readAnswer();
    }

    private Answer readAnswer() throws IOException {
        String statusLine = readLine();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int contentLength = -1;
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closeAfterAnswer = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body = chunked ? readChunked() : in.readNBytes(Math.max(0, contentLength));
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(readLine().split(";", 2)[0].trim(), 16);
            if (size == 0) {
                readLine();
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        String line = HttpLines.readLine(in);
        if (line == null) {
            throw new EOFException("the server closed the connection mid-answer");
        }
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
