package dev.tasklane.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model server that reads each request and never answers, on raw sockets so it
 * can see the moment a client closes its connection: the proof that a call was aborted.
 */
final class HangingModelServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger received = new AtomicInteger();
    private final CountDownLatch firstClose = new CountDownLatch(1);

    HangingModelServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    int received() {
        return received.get();
    }


    boolean awaitClose(long seconds) throws InterruptedException {
        return firstClose.await(seconds, TimeUnit.SECONDS);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> hang(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void hang(Socket client) {
        try (client; InputStream in = client.getInputStream()) {
            readRequest(in);
            received.incrementAndGet();
            // no answer: wait for the client to give up and close the connection
            if (in.read() == -1) {
                firstClose.countDown();
            }
        } catch (IOException e) {
            firstClose.countDown();
        }
    }

    /** Reads the head and a Content-Length body. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed before the request ended");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
