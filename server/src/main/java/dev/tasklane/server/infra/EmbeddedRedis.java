package dev.tasklane.server.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.RedisServerBuilder;

/**
 * A redis-server process of this one's. The embedded-redis library supplies the binary
 * and its configuration; the process is started and stopped here, because the library's
 * own start also registers a JVM exit hook that stops the server beside every other hook,
 * while the workers still acknowledge what they drain.
 */
final class EmbeddedRedis {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(10);
    private static final int LINES_KEPT = 20;

    private final Process process;

    private EmbeddedRedis(Process process) {
        this.process = process;
    }

    /**
     * Starts Redis on 127.0.0.1:{@code port} with an append-only file in {@code data} and
     * waits until it accepts connections.
     *
     * @param stopAtExit whether a JVM exit hook stops it (for owners whose close may not run)
     */
    static EmbeddedRedis start(int port, Path data, boolean stopAtExit) throws IOException {
        Process process = new ProcessBuilder(new RedisServerBuilder()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + data)
                .setting("appendonly yes")
                .setting("save \"\"")
                .buildCommandArgs())
                .redirectErrorStream(true)
                .start();
        EmbeddedRedis redis = new EmbeddedRedis(process);
        redis.awaitReady();
        if (stopAtExit) {
            Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "embedded-redis-stop"));
        }
        return redis;
    }

    /** SIGTERM, so that it writes its append-only file out, then waits for the exit. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("embedded Redis did not stop within {}; killing it", STOP_WITHIN);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Reads the server's output to its end (so it never blocks on a full pipe), noting when it is ready. */
    private void awaitReady() throws IOException {
        // true once it says it accepts connections, false if its output ends first
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread.ofPlatform().daemon().name("embedded-redis-output").start(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    synchronized (lastLines) {
                        lastLines.addLast(line);
                        if (lastLines.size() > LINES_KEPT) {
                            lastLines.removeFirst();
                        }
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                log.debug("embedded Redis output closed", e);
            } finally {
                ready.complete(false);
            }
        });
        String failure;
        try {
            failure = ready.get(READY_WITHIN.toMillis(), TimeUnit.MILLISECONDS) ? null : "exited";
        } catch (TimeoutException e) {
            failure = "did not start within " + READY_WITHIN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "was interrupted while starting";
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (failure != null) {
            process.destroyForcibly();
            synchronized (lastLines) {
                failure += "; its last output: " + String.join(" | ", lastLines);
            }
            throw new IOException("embedded Redis " + failure);
        }
    }
}
