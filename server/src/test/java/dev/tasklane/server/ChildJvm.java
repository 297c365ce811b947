package dev.tasklane.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Tasklane process in a JVM of its own, started from the tests' class path. */
final class ChildJvm {
    private ChildJvm() {}

    /** {@code tasklane args…} with a 256 MiB heap; the caller sets its environment and output. */
    static ProcessBuilder tasklane(String... args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), TasklaneMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Waits until {@code process} has written {@code text} to {@code log}, its output. */
    static void awaitLog(Process process, File log, String text) {
        EngineFixture.await(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("process exited early; see " + log);
            }
            try {
                return log.exists() && Files.readString(log.toPath()).contains(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Duration.ofSeconds(60), () -> log + " never said: " + text);
    }
}
