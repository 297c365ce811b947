package dev.tasklane.server.bench;

import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.model.ChatMessage;
import dev.tasklane.core.port.ModelCallException;
import dev.tasklane.core.port.ModelRequest;
import dev.tasklane.providers.OpenAiCompatibleClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model calls of {@code tl_slow_llm_http_c10000} alone: HTTP_LLM_N chat completions
 * through the engine's model client, HTTP_LLM_CONCURRENCY at a time, each on a virtual
 * thread of its own as a task's call is, against the same model server in a process of
 * its own, with no queue and no database. It is that case's ceiling on the machine: what
 * the engine adds is the difference between the two.
 */
final class ModelCallsCase implements BenchCase {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "tl_model_calls_c10000";
    }

    @Override
    public Map<String, Object> run(BenchStores stores, BenchStores.Run run, BenchKnobs k) throws Exception {
        int jobs = k.httpLlmJobs();
        int concurrency = k.httpLlmConcurrency();
        try (ModelServerProcess model = new ModelServerProcess(k.llmMillis());
             OpenAiCompatibleClient client = new OpenAiCompatibleClient(Duration.ofSeconds(5))) {
            ModelRequest request = new ModelRequest(new NodeConfig("bench-model", model.baseUrl(), null, 1, 0),
                    "bench", List.of(new ChatMessage("user", "hello")), null, CALL_TIMEOUT);
            // untimed, as the engine case warms up with WARMUP tasks through the same client
            callAll(client, request, k.warmup(), concurrency);
            double rssBefore = EngineCases.Rss.currentMib();
            long t0 = System.nanoTime();
            int failed = callAll(client, request, jobs, concurrency);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (failed > 0) {
                throw new IllegalStateException(failed + " of " + jobs + " model calls failed");
            }
            return EngineCases.figures(jobs, concurrency, k.llmMillis(), ms, rssBefore);
        }
    }

    /** Makes {@code calls} calls, at most {@code concurrency} at a time; answers how many failed. */
    private static int callAll(OpenAiCompatibleClient client, ModelRequest request, int calls, int concurrency)
            throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(calls);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < calls; i++) {
            slots.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    client.complete(request);
                } catch (ModelCallException | RuntimeException e) {
                    // counted, so that a call that went wrong never passes for a fast one
                    if (failed.getAndIncrement() == 0) {
                        System.err.println("[tl_model_calls_c10000] a call failed: " + e);
                    }
                } finally {
                    slots.release();
                    done.countDown();
                }
            });
        }
        done.await();
        return failed.get();
    }
}
