package dev.tasklane.server.bench;

import dev.tasklane.server.LaunchOptions;
import dev.tasklane.server.ServerSettings;
import dev.tasklane.server.TasklaneMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Tasklane gateway (and workers, for role server) in this process, on one run's
 * database and prefix; optionally with worker processes of its own beside it.
 */
final class BenchServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final Path lanesFile;
    private final List<Process> workers = new ArrayList<>();

    private BenchServer(ConfigurableApplicationContext context, Path lanesFile) {
        this.context = context;
        this.lanesFile = lanesFile;
    }

    /**
     * Role server with {@code workerProcesses} 0; else a gateway here and that many
     * {@code worker} processes of the same jar, each waited for until its workers run.
     */
    static BenchServer start(BenchStores stores, BenchStores.Run run, int workerProcesses, String lanesYaml)
            throws IOException, InterruptedException {
        BenchServer server = start(stores, run, workerProcesses == 0 ? "server" : "gateway", lanesYaml);
        for (int i = 0; i < workerProcesses; i++) {
            server.workers.add(server.startWorker(stores, run, i));
        }
        return server;
    }

    private Process startWorker(BenchStores stores, BenchStores.Run run, int index)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SameJar.command("512m", "worker", "--port", "0"));
        builder.environment().putAll(environment(stores, run, lanesFile));
        builder.environment().put("TASKLANE_WORKER_ID", "bench-worker-" + index);
        Path log = Files.createTempFile("tasklane-bench-worker", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.readString(log).contains("workers started for lanes")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("worker process " + index + " did not start; see " + log);
            }
            Thread.sleep(100);
        }
        return process;
    }

    /** @param lanesYaml the lanes of this run (CONFIG.md's format) */
    static BenchServer start(BenchStores stores, BenchStores.Run run, String role, String lanesYaml) {
        try {
            Path lanes = Files.createTempFile("tasklane-bench-lanes", ".yaml");
            Files.writeString(lanes, lanesYaml);
            ServerSettings settings = ServerSettings.from(LaunchOptions.parse(role, "--port", "0"),
                    environment(stores, run, lanes));
            return new BenchServer(TasklaneMain.start(settings), lanes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> environment(BenchStores stores, BenchStores.Run run, Path lanes) {
        Map<String, String> env = new HashMap<>();
        env.put("TASKLANE_DATABASE_URL", run.jdbcUrl);
        if (stores.databaseUser() != null) {
            env.put("TASKLANE_DATABASE_USER", stores.databaseUser());
        }
        if (stores.databasePassword() != null) {
            env.put("TASKLANE_DATABASE_PASSWORD", stores.databasePassword());
        }
        env.put("TASKLANE_REDIS_URL", stores.redisUrl());
        env.put("TASKLANE_REDIS_PREFIX", run.redisPrefix);
        env.put("TASKLANE_CONFIG", lanes.toString());
        env.put("TASKLANE_WORKER_ID", "bench-" + run.redisPrefix);
        return env;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @Override
    public void close() throws IOException {
        for (Process worker : workers) {
            worker.destroy();
        }
        for (Process worker : workers) {
            try {
                worker.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        context.close();
        Files.deleteIfExists(lanesFile);
    }
}
