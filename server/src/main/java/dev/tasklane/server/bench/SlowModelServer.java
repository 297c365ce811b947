package dev.tasklane.server.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An OpenAI-compatible model server that answers every chat completion after a fixed
 * delay. One virtual thread per keep-alive connection, blocking I/O: like a real model
 * server it holds thousands of connections open at little cost, and it spends little CPU
 * of the machine it shares with the engine under test (the JDK's HttpServer serves all
 * connections from one dispatcher thread and costs several times more per call).
 * {@link ModelServerProcess} runs it in a process of its own.
 */
final class SlowModelServer implements AutoCloseable {
    private static final byte[] ANSWER = ("{\"id\":\"bench\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + ANSWER.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket server;
    private final int delayMillis;

    SlowModelServer(int delayMillis) {
        this.delayMillis = delayMillis;
        try {
            server = new ServerSocket(0, 16_384, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("slow-model-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Answers requests on one connection until the client closes it. */
    private void serve(Socket connection) {
        try (connection; InputStream in = new BufferedInputStream(connection.getInputStream());
             OutputStream out = connection.getOutputStream()) {
            connection.setTcpNoDelay(true);
            while (skipRequest(in)) {
                Thread.sleep(delayMillis);
                byte[] reply = new byte[HEAD.length + ANSWER.length];
                System.arraycopy(HEAD, 0, reply, 0, HEAD.length);
                System.arraycopy(ANSWER, 0, reply, HEAD.length, ANSWER.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one request (headers and a Content-Length body); false at the end of the stream. */
    private static boolean skipRequest(InputStream in) throws IOException {
        int length = 0;
        String line = HttpLines.readLine(in);
        if (line == null) {
            return false;
        }
        while ((line = HttpLines.readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        if (line == null) {
            return false;
        }
        in.skipNBytes(length);
        return true;
    }


    /**
     * Runs a server in this process until its standard input closes (the process that
     * started it ended or let it go); tells its port on the first line of {@code out}.
     */
    static int serveUntilStdinCloses(int delayMillis, PrintStream out) throws IOException {
        try (SlowModelServer model = new SlowModelServer(delayMillis)) {
            out.println(ModelServerProcess.READY + model.server.getLocalPort());
            out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
        return 0;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
