package dev.tasklane.server.bench;

import dev.tasklane.core.engine.EnginePorts;
import dev.tasklane.core.engine.LocalLanes;
import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.engine.WorkerSettings;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.handler.ChatHandler;
import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.handler.SleepHandler;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.lane.RetryPolicy;
import dev.tasklane.core.lane.Router;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.postgres.PostgresStorage;
import dev.tasklane.providers.OpenAiCompatibleClient;
import dev.tasklane.redis.RedisCancelSignals;
import dev.tasklane.redis.RedisLaneQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The slow-model cases: tasks are submitted first, then the lane's workers start
 * and the clock runs to the commit of the last result. Efficiency is ideal time / wall time.
 * They run the engine without the HTTP server, as a worker process does.
 */
final class EngineCases {
    private static final int POOL_SIZE = 16;

    private EngineCases() {}

    /** LLM_N sleep tasks of LLM_MS each, lane concurrency LLM_CONCURRENCY. */
    static final class SleepingModel implements BenchCase {
        @Override
        public String name() {
            return "tl_slow_llm_c1000";
        }

        @Override
        public Map<String, Object> run(BenchStores stores, BenchStores.Run run, BenchKnobs k) throws Exception {
            ObjectNode input = JsonNodeFactory.instance.objectNode().put("ms", k.llmMillis());
            return slowRun(stores, run, "sleep", input, k, k.llmJobs(), k.llmConcurrency(), List.of());
        }
    }

    /** HTTP_LLM_N chat tasks against an HTTP model server answering after LLM_MS, lane concurrency 10,000. */
    static final class HttpModel implements BenchCase {
        @Override
        public String name() {
            return "tl_slow_llm_http_c10000";
        }

        @Override
        public Map<String, Object> run(BenchStores stores, BenchStores.Run run, BenchKnobs k) throws Exception {
            try (ModelServerProcess model = new ModelServerProcess(k.llmMillis())) {
                ObjectNode input = JsonNodeFactory.instance.objectNode().put("prompt", "hello");
                return slowRun(stores, run, "chat", input, k, k.httpLlmJobs(), k.httpLlmConcurrency(),
                        List.of(new NodeConfig("bench-model", model.baseUrl(), null, 1, 0)));
            }
        }
    }

    private static Map<String, Object> slowRun(BenchStores stores, BenchStores.Run run, String type, ObjectNode input,
                                               BenchKnobs k, int jobs, int concurrency, List<NodeConfig> nodes)
            throws Exception {
        int millis = k.llmMillis();
        LaneConfig lane = new LaneConfig("bench", List.of("*"), "openai", concurrency, Duration.ofMinutes(10),
                Duration.ofSeconds(60), 3, RetryPolicy.DEFAULT, nodes);
        try (PostgresStorage storage = PostgresStorage.open(run.jdbcUrl, stores.databaseUser(),
                stores.databasePassword(), POOL_SIZE);
             RedisLaneQueue queue = new RedisLaneQueue(stores.redisUrl(), run.redisPrefix);
             RedisCancelSignals signals = new RedisCancelSignals(stores.redisUrl(), run.redisPrefix);
             RunProbe probe = new RunProbe(run.jdbcUrl, stores.databaseUser(), stores.databasePassword());
             OpenAiCompatibleClient modelClient = new OpenAiCompatibleClient(Duration.ofSeconds(5))) {
            storage.migrate();
            HandlerRegistry handlers = new HandlerRegistry(List.of(new SleepHandler(), new ChatHandler(
                    storage.conversations(), Map.of("openai", modelClient))));
            LocalLanes localLanes = new LocalLanes();
            SubmitService submit = new SubmitService(storage.tasks(), storage.batches(), storage.conversations(),
                    queue, new Router(List.of(lane)), handlers.types(), Clock.systemUTC(), localLanes);
            queue.createLane(lane.name());
            ResultCommitClock results = new ResultCommitClock(storage.tasks(), Clock.systemUTC());
            EnginePorts ports = new EnginePorts(results, storage.events(), queue, storage.deadLetters(),
                    storage.systemLog(), signals, Clock.systemUTC());
            // untimed warm-up, as the peer does: tasks of the measured kind through the same lane,
            // to the end, so that the timed run does not pay for compiling their path (sleeps
            // are warmed as zero-length ones)
            ObjectNode warmupInput = type.equals("sleep") ? JsonNodeFactory.instance.objectNode().put("ms", 0) : input;
            presubmit(submit, type, warmupInput, k.warmup());
            try (Workers warming = workers(lane, ports, handlers, localLanes)) {
                warming.start();
                probe.awaitSucceeded(k.warmup(), Duration.ofMinutes(5));
            }
            presubmit(submit, type, input, jobs);
            double rssBefore = Rss.currentMib();
            Instant t0;
            try (Workers workers = workers(lane, ports, handlers, localLanes)) {
                // timed from the start of reading, as the peer times from worker.run() after waitUntilReady()
                workers.connect();
                t0 = Instant.now();
                workers.start();
                probe.awaitSucceeded(k.warmup() + jobs, Duration.ofMinutes(10));
            }
            // to the commit of the last result, as the peer's clock runs to its last "completed" event
            double ms = Duration.between(t0, results.lastCommitted().orElseThrow()).toNanos() / 1e6;
            return figures(jobs, concurrency, millis, ms, rssBefore);
        }
    }

    /**
     * A slow-model run's figures: {@code jobs} waits of {@code millis} each, at most
     * {@code concurrency} at a time, took {@code ms}; ideal is whole waves of waits.
     */
    static Map<String, Object> figures(int jobs, int concurrency, int millis, double ms, double rssBefore)
            throws IOException {
        long ideal = (long) Math.ceil((double) jobs / concurrency) * millis;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", jobs);
        out.put("concurrency", concurrency);
        out.put("sleep_ms", millis);
        out.put("wall_ms", Percentiles.round3(ms));
        out.put("ideal_ms", ideal);
        out.put("overhead_ms", Percentiles.round3(ms - ideal));
        out.put("efficiency", Percentiles.round3(ideal / ms));
        out.put("rss_before_mib", Percentiles.round3(rssBefore));
        out.put("peak_rss_mib", Percentiles.round3(Rss.peakMib()));
        out.put("max_heap_mib", Percentiles.round3(Runtime.getRuntime().maxMemory() / 1048576.0));
        return out;
    }

    /** The tasks are submitted before the workers start, so they all go through the stream. */
    private static Workers workers(LaneConfig lane, EnginePorts ports, HandlerRegistry handlers,
                                   LocalLanes localLanes) {
        return new Workers(List.of(lane), ports, handlers, new WorkerSettings("bench", Duration.ofSeconds(30), 10,
                Duration.ofSeconds(60), Duration.ofMillis(500)), localLanes);
    }

    /** Submits through the engine from 50 virtual threads; untimed. */
    private static void presubmit(SubmitService submit, String type, ObjectNode input, int jobs)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (next.getAndIncrement() < jobs) {
                    submit.submitTask(new TaskSubmit(Tenants.DEFAULT, type, null, "bench", input, Priority.NORMAL,
                            null, null, null, null));
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** The process's resident memory, from /proc/self/status (Linux). */
    static final class Rss {
        private Rss() {}

        static double currentMib() throws IOException {
            return field("VmRSS:");
        }

        /** The kernel's high-water mark of this process: the peak since it started. */
        static double peakMib() throws IOException {
            return field("VmHWM:");
        }

        private static double field(String name) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) / 1024.0;
                }
            }
            return Double.NaN;
        }
    }
}
