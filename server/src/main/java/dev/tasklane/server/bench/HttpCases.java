package dev.tasklane.server.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cases that submit over HTTP: submit only (no workers), end to end, and
 * latency at a light paced load. Each 202 follows the task's commit.
 */
final class HttpCases {
    private static final String NOOP = "{\"type\": \"noop\", \"lane\": \"bench\", \"input\": {\"i\": %d, \"p\": \"%s\"}}";
    /** The peer's payload: 64 bytes. */
    private static final String PAYLOAD = "x".repeat(64);

    private HttpCases() {}

    /** Untimed: WARMUP no-op tasks submitted and run to the end, so the timed part meets a warm JVM. */
    static void warmUp(HttpSubmitter submitter, RunProbe probe, BenchKnobs k) throws Exception {
        submitter.submitAll(k.warmup(), k.adders(), i -> NOOP.formatted(i, PAYLOAD));
        probe.awaitSucceeded(k.warmup(), Duration.ofMinutes(5));
    }

    static String lanes(int concurrency) {
        return """
                lanes:
                  bench:
                    models: ["*"]
                    concurrency: %d
                """.formatted(concurrency);
    }

    static final class Submit implements BenchCase {
        @Override
        public String name() {
            return "tl_submit_http_c50";
        }

        @Override
        public Map<String, Object> run(BenchStores stores, BenchStores.Run run, BenchKnobs k) throws Exception {
            try (BenchServer gateway = BenchServer.start(stores, run, "gateway", lanes(k.concurrency()));
                 RunProbe probe = new RunProbe(run.jdbcUrl, stores.databaseUser(), stores.databasePassword());
                 HttpSubmitter submitter = new HttpSubmitter(gateway.baseUrl())) {
                submitter.submitAll(k.warmup(), k.adders(), i -> NOOP.formatted(i, PAYLOAD));
                long t0 = System.nanoTime();
                submitter.submitAll(k.jobs(), k.adders(), i -> NOOP.formatted(i, PAYLOAD));
                double ms = (System.nanoTime() - t0) / 1e6;
                long queued = probe.count("queued");
                if (queued != k.jobs() + k.warmup()) {
                    throw new IllegalStateException("expected " + (k.jobs() + k.warmup()) + " queued, found " + queued);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("jobs", k.jobs());
                out.put("producer", "POST /v1/tasks x" + k.adders());
                out.put("wall_ms", Percentiles.round3(ms));
                out.put("jobs_per_s", Percentiles.rate(k.jobs(), ms));
                return out;
            }
        }
    }

    static final class EndToEnd implements BenchCase {
        @Override
        public String name() {
            return "tl_e2e_noop_c50";
        }

        @Override
        public Map<String, Object> run(BenchStores stores, BenchStores.Run run, BenchKnobs k) throws Exception {
            try (BenchServer server = BenchServer.start(stores, run, k.workerProcesses(), lanes(k.concurrency()));
                 RunProbe probe = new RunProbe(run.jdbcUrl, stores.databaseUser(), stores.databasePassword());
                 HttpSubmitter submitter = new HttpSubmitter(server.baseUrl())) {
                warmUp(submitter, probe, k);
                Instant t0 = Instant.now();
                long n0 = System.nanoTime();
                List<HttpSubmitter.Sent> sent = submitter.submitAll(k.jobs(), k.adders(),
                        i -> NOOP.formatted(i, PAYLOAD));
                double addMs = (System.nanoTime() - n0) / 1e6;
                // to the poll that found every result committed (the last "completed" event, for
                // the peer); a task's finished_at is when its call returned, before that commit
                Instant done = probe.awaitSucceeded(k.warmup() + k.jobs(), Duration.ofMinutes(10));
                double ms = Duration.between(t0, done).toNanos() / 1e6;
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("jobs", k.jobs());
                out.put("producer", "POST /v1/tasks x" + k.adders());
                out.put("concurrency", k.concurrency());
                out.put("worker_processes", k.workerProcesses());
                out.put("wall_ms", Percentiles.round3(ms));
                out.put("add_phase_ms", Percentiles.round3(addMs));
                out.put("jobs_per_s", Percentiles.rate(k.jobs(), ms));
                out.putAll(Latencies.of(sent, probe.times()));
                return out;
            }
        }
    }

    static final class Light implements BenchCase {
        @Override
        public String name() {
            return "tl_latency_light_c50";
        }

        @Override
        public Map<String, Object> run(BenchStores stores, BenchStores.Run run, BenchKnobs k) throws Exception {
            try (BenchServer server = BenchServer.start(stores, run, k.workerProcesses(), lanes(k.concurrency()));
                 RunProbe probe = new RunProbe(run.jdbcUrl, stores.databaseUser(), stores.databasePassword());
                 HttpSubmitter submitter = new HttpSubmitter(server.baseUrl())) {
                warmUp(submitter, probe, k);
                List<HttpSubmitter.Sent> sent = new Pacer(k.lightRate()).submit(submitter, k.lightJobs(),
                        i -> NOOP.formatted(i, PAYLOAD));
                probe.awaitSucceeded(k.warmup() + k.lightJobs(), Duration.ofMinutes(5));
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("jobs", k.lightJobs());
                out.put("rate_per_s", k.lightRate());
                out.put("concurrency", k.concurrency());
                out.putAll(Latencies.of(sent, probe.times()));
                return out;
            }
        }
    }
}
