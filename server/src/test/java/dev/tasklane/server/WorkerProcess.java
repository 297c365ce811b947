package dev.tasklane.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** A `tasklane worker` in a JVM of its own, on the test's database, Redis prefix and lanes file. */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final File log;

    private WorkerProcess(Process process, File log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String id, EngineFixture engine, Path lanesFile, Map<String, String> extraEnv) {
        ProcessBuilder builder = ChildJvm.tasklane("worker", "--port", "0");
        Map<String, String> env = builder.environment();
        env.put("TASKLANE_DATABASE_URL", engine.jdbcUrl);
        env.put("TASKLANE_REDIS_URL", engine.redisUrl);
        env.put("TASKLANE_REDIS_PREFIX", engine.prefix);
        env.put("TASKLANE_CONFIG", lanesFile.toString());
        env.put("TASKLANE_WORKER_ID", id);
        env.putAll(extraEnv);
        File log = new File("target/" + id + ".log");
        try {
            WorkerProcess worker = new WorkerProcess(builder.redirectErrorStream(true).redirectOutput(log).start(), log);
            worker.awaitLog("workers started for lanes");
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start worker " + id, e);
        }
    }

    /** Waits until the process has logged {@code text}. */
    void awaitLog(String text) {
        ChildJvm.awaitLog(process, log, text);
    }

    /** SIGKILL: no shutdown hook runs, nothing is handed back. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, then waits for the exit. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
