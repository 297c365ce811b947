package dev.tasklane.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An embedded PostgreSQL owned by one test, which may stop it and start it again to
 * simulate a database restart: it keeps its port and its data directory across restarts.
 * {@link #close()} stops it and deletes the data. Unlike {@link TestPostgres} it never uses
 * a configured server, since a test cannot restart that.
 */
public final class PrivatePostgres implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private PrivatePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Creates the data directory in a new temporary folder and starts the server on a free port. */
    public static PrivatePostgres create() {
        PrivatePostgres postgres;
        try {
            postgres = new PrivatePostgres(Files.createTempDirectory("tasklane-private-pg-"), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare a private PostgreSQL", e);
        }
        postgres.start();
        return postgres;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the stopped server on its port and data; the first start creates the data. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is running");
        }
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL on port " + port + " in " + dataDirectory, e);
        }
    }

    /** Shuts the server down (fast: open connections are cut), keeping its data. */
    public synchronized void stop() {
        if (server == null) {
            throw new IllegalStateException("PostgreSQL on port " + port + " is not running");
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL on port " + port, e);
        } finally {
            server = null;
        }
    }

    /** The {@code postgres} database as user {@code postgres}; the same across restarts. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Stops the server when it runs and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (server != null) {
            stop();
        }
        try (Stream<Path> paths = Files.walk(dataDirectory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataDirectory, e);
        }
    }
}
