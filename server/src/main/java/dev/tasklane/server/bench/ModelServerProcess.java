package dev.tasklane.server.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SlowModelServer} in a process of its own, as a real model server would be: with
 * thousands of calls in flight, both ends of every connection in one process would exceed
 * its open-file limit. Started from the same jar; the environment variable
 * {@value #DELAY_VARIABLE} makes {@code tasklane bench} serve as the model instead.
 */
final class ModelServerProcess implements AutoCloseable {
    static final String DELAY_VARIABLE = "TASKLANE_BENCH_MODEL_SERVER_MS";
    static final String READY = "model server port ";

    private final Process process;
    private final int port;

    ModelServerProcess(int delayMillis) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(SameJar.command("256m", "bench"));
        builder.environment().put(DELAY_VARIABLE, Integer.toString(delayMillis));
        this.process = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.startsWith(READY)) {
            // start-up chatter
        }
        if (line == null) {
            throw new IllegalStateException("the model server process ended before it listened");
        }
        this.port = Integer.parseInt(line.substring(READY.length()).trim());
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
