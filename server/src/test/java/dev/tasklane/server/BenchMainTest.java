package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.server.bench.BenchMain;
import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** `./tasklane bench` prints one line per case in the peer benchmark's shape, with each case's figures. */
class BenchMainTest {

    @Test
    void everyCasePrintsItsFiguresInThePeersShape() throws Exception {
        Map<String, String> env = Map.ofEntries(Map.entry("TASKLANE_DATABASE_URL", TestPostgres.adminUrl()),
                Map.entry("TASKLANE_REDIS_URL", TestRedis.url()), Map.entry("RUNS", "1"), Map.entry("N", "60"),
                Map.entry("ADDERS", "5"), Map.entry("LLM_N", "40"), Map.entry("LLM_MS", "50"),
                Map.entry("LLM_CONCURRENCY", "20"), Map.entry("LIGHT_N", "30"), Map.entry("LIGHT_RATE", "200"),
                Map.entry("HTTP_LLM_N", "40"), Map.entry("HTTP_LLM_CONCURRENCY", "20"), Map.entry("WARMUP", "20"));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            exit = BenchMain.run(ServerSettings.from(LaunchOptions.parse("bench"), env), env,
                    new PrintStream(captured, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isZero();
        List<JsonNode> lines = captured.toString(StandardCharsets.UTF_8).lines().map(Http.JSON::readTree).toList();
        assertThat(lines).extracting(l -> l.path("case").asString()).containsExactly("tl_submit_http_c50",
                "tl_e2e_noop_c50", "tl_slow_llm_c1000", "tl_latency_light_c50", "tl_slow_llm_http_c10000",
                "tl_model_calls_c10000");
        for (JsonNode line : lines) {
            assertThat(line.path("impl").asString()).isEqualTo("tasklane");
            assertThat(line.path("runs").asInt()).isEqualTo(1);
            assertThat(line.has("error")).as(line.toString()).isFalse();
            assertThat(line.path("env").path("cpus").asInt()).isPositive();
        }
        assertThat(figure(lines, "tl_submit_http_c50", "jobs_per_s")).isPositive();
        assertThat(figure(lines, "tl_e2e_noop_c50", "jobs_per_s")).isPositive();
        assertThat(figure(lines, "tl_e2e_noop_c50", "lat_start_p99_ms")).isPositive();
        assertThat(figure(lines, "tl_slow_llm_c1000", "efficiency")).isBetween(0.05, 1.0);
        assertThat(figure(lines, "tl_slow_llm_c1000", "ideal_ms")).isEqualTo(100.0);
        assertThat(figure(lines, "tl_slow_llm_c1000", "jobs")).isEqualTo(40.0);
        assertThat(figure(lines, "tl_slow_llm_c1000", "peak_rss_mib")).isPositive();
        assertThat(figure(lines, "tl_latency_light_c50", "lat_done_p99_ms"))
                .isGreaterThanOrEqualTo(figure(lines, "tl_latency_light_c50", "lat_start_p99_ms"));
        assertThat(figure(lines, "tl_slow_llm_http_c10000", "efficiency")).isBetween(0.05, 1.0);
        assertThat(figure(lines, "tl_model_calls_c10000", "efficiency")).isBetween(0.05, 1.0);
        assertThat(figure(lines, "tl_model_calls_c10000", "ideal_ms")).isEqualTo(100.0);
        JsonNode samples = lines.getFirst().path("samples");
        assertThat(Set.copyOf(StreamSupport.stream(samples.propertyNames().spliterator(), false).toList()))
                .contains("jobs_per_s", "wall_ms");
    }

    private static double figure(List<JsonNode> lines, String benchCase, String name) {
        return lines.stream().filter(l -> l.path("case").asString().equals(benchCase)).findFirst().orElseThrow()
                .path("median").path(name).asDouble();
    }
}
