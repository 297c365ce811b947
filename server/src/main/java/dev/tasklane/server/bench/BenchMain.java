package dev.tasklane.server.bench;

import dev.tasklane.server.ServerSettings;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./tasklane bench}: runs each chosen case RUNS times and prints one JSON line
 * per case in the peer benchmark's shape ({@code case, impl, runs, median, samples,
 * env}); everything else goes to stderr.
 */
public final class BenchMain {
    private static final List<BenchCase> CASES = List.of(new HttpCases.Submit(), new HttpCases.EndToEnd(),
            new EngineCases.SleepingModel(), new HttpCases.Light(), new EngineCases.HttpModel(),
            new ModelCallsCase());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BenchMain() {}

    /**
     * Runs the cases and writes their lines to {@code results}. From here on this
     * process's standard output is its standard error: logs of the servers and
     * databases started here, to the last one, must not mix with the JSON lines.
     *
     * @return the process exit code: 0, or 1 when a case failed
     */
    public static int run(ServerSettings settings, Map<String, String> env, PrintStream results) throws Exception {
        if (env.containsKey(ModelServerProcess.DELAY_VARIABLE)) {
            return SlowModelServer.serveUntilStdinCloses(Integer.parseInt(env.get(ModelServerProcess.DELAY_VARIABLE)),
                    results);
        }
        BenchKnobs knobs = BenchKnobs.from(env, CASES.stream().map(BenchCase::name).toList());
        System.setOut(System.err);
        int failures = 0;
        try (BenchStores stores = new BenchStores(settings)) {
            for (String name : knobs.cases()) {
                BenchCase benchCase = CASES.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
                ObjectNode line = runCase(benchCase, stores, knobs);
                failures += line.has("error") ? 1 : 0;
                results.println(JSON.writeValueAsString(line));
                results.flush();
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static ObjectNode runCase(BenchCase benchCase, BenchStores stores, BenchKnobs knobs) {
        List<Map<String, Object>> samples = new ArrayList<>();
        String error = null;
        for (int i = 1; i <= knobs.runs(); i++) {
            try (BenchStores.Run run = stores.newRun(benchCase.name())) {
                Map<String, Object> sample = benchCase.run(stores, run, knobs);
                samples.add(sample);
                System.err.println("[" + benchCase.name() + "] run " + i + "/" + knobs.runs() + ": "
                        + JSON.writeValueAsString(sample));
            } catch (Exception e) {
                error = String.valueOf(e.getMessage());
                System.err.println("[" + benchCase.name() + "] run " + i + "/" + knobs.runs() + " FAILED");
                e.printStackTrace(System.err);
                break;
            }
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("case", benchCase.name());
        line.put("impl", "tasklane");
        line.put("runs", samples.size());
        line.set("median", JSON.valueToTree(Medians.median(samples)));
        line.set("samples", JSON.valueToTree(Medians.columns(samples)));
        line.set("env", JSON.valueToTree(environment()));
        if (error != null) {
            line.put("error", error);
        }
        return line;
    }

    private static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", Runtime.version().toString());
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        try {
            env.put("host", InetAddress.getLocalHost().getHostName());
        } catch (java.net.UnknownHostException e) {
            env.put("host", "unknown");
        }
        env.put("max_heap_mib", Runtime.getRuntime().maxMemory() / 1048576);
        return env;
    }
}
