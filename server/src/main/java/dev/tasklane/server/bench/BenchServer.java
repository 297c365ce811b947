package dev.tasklane.server.bench;

import dev.tasklane.server.LaunchOptions;
import dev.tasklane.server.ServerSettings;
import dev.tasklane.server.TasklaneMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/** A Tasklane gateway (and workers, for role server) in this process, on one run's database and prefix. */
final class BenchServer implements AutoCloseable {
    private final ConfigurableApplicationContext context;
    private final Path lanesFile;

    private BenchServer(ConfigurableApplicationContext context, Path lanesFile) {
        this.context = context;
        this.lanesFile = lanesFile;
    }

    /** @param lanesYaml the lanes of this run (CONFIG.md's format) */
    static BenchServer start(BenchStores stores, BenchStores.Run run, String role, String lanesYaml) {
        try {
            Path lanes = Files.createTempFile("tasklane-bench-lanes", ".yaml");
            Files.writeString(lanes, lanesYaml);
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
            ServerSettings settings = ServerSettings.from(LaunchOptions.parse(role, "--port", "0"), env);
            return new BenchServer(TasklaneMain.start(settings), lanes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @Override
    public void close() throws IOException {
        context.close();
        Files.deleteIfExists(lanesFile);
    }
}
