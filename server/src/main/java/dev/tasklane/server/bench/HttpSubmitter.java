package dev.tasklane.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import tools.jackson.databind.json.JsonMapper;

/** Submits tasks over HTTP as a client would, from concurrent virtual threads, and keeps when each was sent. */
final class HttpSubmitter {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One accepted submission: the task id and the instant its request was sent. */
    record Sent(String taskId, Instant at) {}

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI tasksUri;

    HttpSubmitter(String baseUrl) {
        this.tasksUri = URI.create(baseUrl + "/v1/tasks");
    }

    /** POSTs {@code body(i)} for i in 0..n-1 from {@code clients} concurrent clients; every answer must be 202. */
    List<Sent> submitAll(int n, int clients, IntFunction<String> body) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<List<Sent>> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Sent> mine = new ArrayList<>();
            perClient.add(mine);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        mine.add(submit(body.apply(i)));
                    }
                } catch (IOException | RuntimeException | InterruptedException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("submitting failed", failures.getFirst());
        }
        return perClient.stream().flatMap(List::stream).toList();
    }

    Sent submit(String body) throws IOException, InterruptedException {
        Instant at = Instant.now();
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(tasksUri)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + answer.statusCode() + ": " + answer.body());
        }
        return new Sent(JSON.readTree(answer.body()).path("task_id").asString(), at);
    }
}
