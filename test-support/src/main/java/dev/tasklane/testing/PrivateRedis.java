package dev.tasklane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import redis.embedded.RedisServer;

/**
 * An embedded Redis that one test owns alone, on a port of its own: unlike {@link TestRedis}
 * it may be flushed, stopped and started again (on the same port, empty). Close it when done.
 *
 * <pre>{@code
 * try (PrivateRedis redis = PrivateRedis.startOnFreePort()) {
 *     ... redis.url() ... redis.stop(); ... redis.start(); ...
 * }
 * }</pre>
 */
public final class PrivateRedis implements AutoCloseable {
    private final int port;
    private final RedisServer server;

    private PrivateRedis(int port, RedisServer server) {
        this.port = port;
        this.server = server;
    }

    /** Starts a new embedded Redis on a free port. */
    public static PrivateRedis startOnFreePort() {
        try {
            int port = TestRedis.freePort();
            PrivateRedis redis = new PrivateRedis(port, TestRedis.embeddedServer(port));
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private embedded Redis", e);
        }
    }

    /** {@code redis://127.0.0.1:<port>}; the same across stop and start. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Deletes every key of every database (FLUSHALL): this Redis serves no one else. */
    public void flushAll() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = readLine(socket.getInputStream());
            if (!reply.equals("+OK")) {
                throw new IllegalStateException("FLUSHALL answered " + reply);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush the private Redis on port " + port, e);
        }
    }

    /** Stops the server and waits until it has exited; its data is gone. Does nothing when stopped. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the private Redis on port " + port, e);
        }
    }

    /** Starts the server again, empty, on the same port. Does nothing when running. */
    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the private Redis on port " + port, e);
        }
    }

    public boolean isRunning() {
        return server.isActive();
    }

    @Override
    public void close() {
        stop();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the connection closed before a reply");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
