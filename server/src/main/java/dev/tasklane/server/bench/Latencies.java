package dev.tasklane.server.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Start and done latencies, from the moment a client sent the task to its start and its end. */
final class Latencies {
    private Latencies() {}

    static Map<String, Object> of(List<HttpSubmitter.Sent> sent, Map<String, RunProbe.Times> times) {
        double[] start = new double[sent.size()];
        double[] done = new double[sent.size()];
        for (int i = 0; i < sent.size(); i++) {
            HttpSubmitter.Sent s = sent.get(i);
            RunProbe.Times t = times.get(s.taskId());
            start[i] = Duration.between(s.at(), t.started()).toNanos() / 1e6;
            done[i] = Duration.between(s.at(), t.finished()).toNanos() / 1e6;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lat_start_p50_ms", Percentiles.round3(Percentiles.of(start, 0.5)));
        out.put("lat_start_p99_ms", Percentiles.round3(Percentiles.of(start, 0.99)));
        out.put("lat_done_p50_ms", Percentiles.round3(Percentiles.of(done, 0.5)));
        out.put("lat_done_p99_ms", Percentiles.round3(Percentiles.of(done, 0.99)));
        return out;
    }
}
