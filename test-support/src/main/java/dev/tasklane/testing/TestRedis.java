package dev.tasklane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;
import redis.embedded.RedisServer;

/**
 * The Redis that tests use: {@code TASKLANE_TEST_REDIS_URL} when set, else an
 * embedded Redis shared by the test JVM. Each test class takes its own key
 * prefix from {@link #newPrefix(String)} and removes only keys under it.
 * A test that must lose Redis data (flush, stop, restart) takes a {@link PrivateRedis}.
 */
public final class TestRedis {
    private static final String ENV = "TASKLANE_TEST_REDIS_URL";
    private static String url;

    private TestRedis() {}

    public static synchronized String url() {
        if (url == null) {
            String configured = System.getenv(ENV);
            url = configured != null && !configured.isBlank() ? configured.trim() : startEmbedded();
        }
        return url;
    }

    /** A key prefix no other test uses, e.g. {@code tltest-queue-1a2b3c4d}. */
    public static String newPrefix(String hint) {
        return "tltest-" + hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String startEmbedded() {
        try {
            int port = freePort();
            RedisServer server = embeddedServer(port);
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
            return "redis://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis for tests", e);
        }
    }

    /**
     * An embedded Redis on loopback that keeps nothing on disk. Its {@code stop()} waits until
     * the process has exited, so the port is free again when it returns.
     */
    static RedisServer embeddedServer(int port) throws IOException {
        return RedisServer.newRedisServer()
                .bind("127.0.0.1").port(port)
                .setting("save \"\"").setting("appendonly no")
                .onShutdownForceStop(false)
                .build();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
