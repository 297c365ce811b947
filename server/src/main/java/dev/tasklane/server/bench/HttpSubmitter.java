package dev.tasklane.server.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Submits tasks over HTTP as a client would, from concurrent virtual threads on
 * keep-alive connections, and keeps when each was sent.
 */
final class HttpSubmitter implements AutoCloseable {
    private static final String TASK_ID = "\"task_id\":\"";

    /** One accepted submission: the task id and the instant its request was sent. */
    record Sent(String taskId, Instant at) {}

    private final String host;
    private final int port;
    private final ConcurrentLinkedDeque<BenchHttpConnection> idle = new ConcurrentLinkedDeque<>();

    HttpSubmitter(String baseUrl) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** POSTs {@code body(i)} for i in 0..n-1 from {@code clients} concurrent clients; every answer must be 202. */
    List<Sent> submitAll(int n, int clients, IntFunction<String> body) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<List<Sent>> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Sent> mine = new ArrayList<>();
            perClient.add(mine);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        mine.add(submit(body.apply(i)));
                    }
                } catch (IOException | RuntimeException e) {
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

    /** One POST on an idle connection, or a new one when none is idle. */
    Sent submit(String body) throws IOException {
        BenchHttpConnection connection = idle.pollFirst();
        if (connection == null) {
            connection = new BenchHttpConnection(host, port);
        }
        Instant at = Instant.now();
        BenchHttpConnection.Answer answer;
        try {
            answer = connection.post("/v1/tasks", body);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        if (connection.reusable()) {
            idle.addFirst(connection);
        } else {
            connection.close();
        }
        if (answer.status() != 202) {
            throw new IllegalStateException("submit answered " + answer.status() + ": " + answer.body());
        }
        return new Sent(taskId(answer.body()), at);
    }

    /** The id from a 202's task JSON; its ids are plain UUIDs, so no JSON parser is needed. */
    private static String taskId(String json) {
        int start = json.indexOf(TASK_ID);
        if (start < 0) {
            throw new IllegalStateException("no task_id in " + json);
        }
        start += TASK_ID.length();
        return json.substring(start, json.indexOf('"', start));
    }

    @Override
    public void close() throws IOException {
        for (BenchHttpConnection c = idle.poll(); c != null; c = idle.poll()) {
            c.close();
        }
    }
}
