package dev.tasklane.server.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's knobs, read from the environment with the peer benchmark's names
 * and defaults (../shared/bench/README.md), so both sides run the same load.
 *
 * @param cases          the cases to run, in order (CASES; all by default)
 * @param runs           runs per case, each on a fresh database and key prefix (RUNS)
 * @param jobs           tasks per throughput case (N)
 * @param adders         concurrent HTTP clients submitting (ADDERS)
 * @param concurrency    lane concurrency of the no-op cases (CONCURRENCY)
 * @param llmJobs        tasks of the slow-model cases (LLM_N)
 * @param llmMillis      how long one model call takes (LLM_MS)
 * @param llmConcurrency lane concurrency of the slow-model case (LLM_CONCURRENCY)
 * @param lightJobs      tasks of the light-load case (LIGHT_N)
 * @param lightRate      tasks per second offered in the light-load case (LIGHT_RATE)
 * @param httpLlmJobs    tasks of the HTTP slow-model case (HTTP_LLM_N)
 * @param httpLlmConcurrency lane concurrency of the HTTP slow-model case (HTTP_LLM_CONCURRENCY)
 * @param workerProcesses    0: the HTTP cases run gateway and workers in this process; k: a gateway here and
 *                           k worker processes beside it (WORKER_PROCESSES), for the scaling figures
 * @param warmup             untimed no-op tasks submitted and run first, as the peer does (WARMUP; 0 = off)
 */
public record BenchKnobs(List<String> cases, int runs, int jobs, int adders, int concurrency, int llmJobs,
                         int llmMillis, int llmConcurrency, int lightJobs, int lightRate, int httpLlmJobs,
                         int httpLlmConcurrency, int workerProcesses, int warmup) {

    public static BenchKnobs from(Map<String, String> env, List<String> allCases) {
        String cases = env.get("CASES");
        List<String> chosen = cases == null || cases.isBlank() ? allCases
                : Arrays.stream(cases.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String c : chosen) {
            if (!allCases.contains(c)) {
                throw new IllegalArgumentException("unknown case " + c + "; known: " + String.join(",", allCases));
            }
        }
        return new BenchKnobs(chosen, number(env, "RUNS", 3), number(env, "N", 50_000), number(env, "ADDERS", 50),
                number(env, "CONCURRENCY", 50), number(env, "LLM_N", 2000), number(env, "LLM_MS", 500),
                number(env, "LLM_CONCURRENCY", 1000), number(env, "LIGHT_N", 2000), number(env, "LIGHT_RATE", 500),
                number(env, "HTTP_LLM_N", 20_000), number(env, "HTTP_LLM_CONCURRENCY", 10_000),
                zeroOrMore(env, "WORKER_PROCESSES", 0), zeroOrMore(env, "WARMUP", 2000));
    }

    private static int zeroOrMore(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        return value != null && value.trim().equals("0") ? 0 : number(env, name, fallback);
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of at least 1, not '" + value + "'");
        }
    }
}
