package dev.tasklane.server.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Remembers the ports embedded services took, under TASKLANE_HOME, so a restart
 * finds them where they were. Fixed ports would collide with the machine's own
 * PostgreSQL and Redis (5432, 6379).
 */
final class PortFile {
    private final Path file;

    PortFile(Path home) {
        this.file = home.resolve("ports.properties");
    }

    /** The remembered port of {@code service} when it is free now, else a new free one (remembered). */
    synchronized int portFor(String service) {
        Properties ports = read();
        String known = ports.getProperty(service);
        if (known != null && isFree(Integer.parseInt(known))) {
            return Integer.parseInt(known);
        }
        int port = freePort();
        ports.setProperty(service, Integer.toString(port));
        write(ports);
        return port;
    }

    private Properties read() {
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                ports.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return ports;
    }

    private void write(Properties ports) {
        try (Writer out = Files.newBufferedWriter(file)) {
            ports.store(out, "ports taken by Tasklane's embedded services");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
