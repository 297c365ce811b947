package dev.tasklane.server.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL and Redis run inside the server's own process tree when none is
 * configured, with their data under TASKLANE_HOME so it survives a restart. They
 * are the real servers: the code path is the same as against external ones.
 */
public final class EmbeddedServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);

    private final Path home;
    private final boolean closedByOwner;
    private final PortFile ports;
    private EmbeddedPostgres postgres;
    private EmbeddedRedis redis;

    /**
     * @param closedByOwner whether the owner's {@link #close()} is sure to run as the process
     *                      exits, as a Spring context closes its beans on shutdown after the
     *                      workers that use them: PostgreSQL and Redis are then left running
     *                      until that close. Otherwise JVM exit hooks stop them, and such hooks
     *                      run beside the others, while clients may still be writing to them.
     */
    public EmbeddedServices(Path home, boolean closedByOwner) {
        this.home = home;
        this.closedByOwner = closedByOwner;
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create TASKLANE_HOME " + home, e);
        }
        this.ports = new PortFile(home);
    }

    /** Starts PostgreSQL on {@code home/postgres}; returns its JDBC URL (user postgres). */
    public String startPostgres() {
        Path data = home.resolve("postgres");
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setPort(ports.portFor("postgres"))
                    .setRegisterShutdownHook(!closedByOwner)
                    // the library starts the server with -F (fsync off) and synchronous_commit off,
                    // either of which would let a 202 or an ack promise a commit that a crash of
                    // the machine can lose; a -c option given after -F wins
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + data, e);
        }
        log.info("running embedded PostgreSQL on 127.0.0.1:{}, data in {}", postgres.getPort(), data);
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
    }

    /** Starts Redis with an append-only file in {@code home/redis}; returns its URL. */
    public String startRedis() {
        Path data = home.resolve("redis");
        int port = ports.portFor("redis");
        try {
            Files.createDirectories(data);
            redis = EmbeddedRedis.start(port, data, !closedByOwner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded Redis in " + data, e);
        }
        log.info("running embedded Redis on 127.0.0.1:{}, data in {}", port, data);
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.stop();
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            log.warn("stopping embedded PostgreSQL failed", e);
        }
    }
}
