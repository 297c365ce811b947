package dev.tasklane.server.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Offers tasks at a fixed rate: task i is sent at t0 + i / rate, each on its own
 * virtual thread. At most {@link #MAX_IN_FLIGHT} requests wait for their answer at
 * once; past that the pacer falls behind the rate (each latency still counts from
 * the moment its request was really sent).
 */
final class Pacer {
    private static final int MAX_IN_FLIGHT = 500;

    private final int perSecond;
    private final Semaphore inFlightSlots = new Semaphore(MAX_IN_FLIGHT);

    Pacer(int perSecond) {
        this.perSecond = perSecond;
    }

    List<HttpSubmitter.Sent> submit(HttpSubmitter submitter, int n, IntFunction<String> body)
            throws InterruptedException {
        // one slot per task, each written by its own thread and read after every join
        HttpSubmitter.Sent[] sent = new HttpSubmitter.Sent[n];
        List<Thread> inFlight = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        long interval = 1_000_000_000L / perSecond;
        for (int i = 0; i < n; i++) {
            long wait = t0 + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String request = body.apply(i);
            int slot = i;
            inFlightSlots.acquire();
            inFlight.add(Thread.ofVirtual().start(() -> {
                try {
                    sent[slot] = submitter.submit(request);
                } catch (Exception e) {
                    failures.add(e);
                } finally {
                    inFlightSlots.release();
                }
            }));
        }
        for (Thread t : inFlight) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a paced submit failed", failures.getFirst());
        }
        return List.of(sent);
    }
}
