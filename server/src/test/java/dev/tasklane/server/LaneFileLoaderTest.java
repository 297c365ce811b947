package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.server.config.ConfigException;
import dev.tasklane.server.config.DefaultLanes;
import dev.tasklane.server.config.LaneFileLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LaneFileLoaderTest {
    private final LaneFileLoader loader = new LaneFileLoader(Set.of("openai"),
            Map.of("GEMINI_KEY", "secret", "DEEPSEEK_SERVICE_URL", "http://10.0.0.5:8000/v1"));

    private List<LaneConfig> load(String yaml) {
        return loader.load(RunningServer.writeConfig(yaml));
    }

    @Test
    void readsLanesInFileOrderWithDefaultsAndEnvironment() {
        List<LaneConfig> lanes = load("""
                lanes:
                  gemini:
                    models: ["gemini-*"]
                    concurrency: 8
                    timeout_seconds: 60
                    lease_seconds: 20
                    max_attempts: 5
                    nodes:
                      - {name: gemini-a, url: "http://127.0.0.1:61080/v1", api_key: "${GEMINI_KEY:}", weight: 2, max_concurrency: 4}
                  deepseek:
                    models: ["deepseek*"]
                    nodes: [{url: "${DEEPSEEK_SERVICE_URL}"}]
                  default:
                    models: ["*"]
                    nodes: [{url: "${LLM_SERVICE_URL:http://127.0.0.1:11434/v1}"}]
                """);
        assertThat(lanes).extracting(LaneConfig::name).containsExactly("gemini", "deepseek", "default");
        LaneConfig gemini = lanes.getFirst();
        assertThat(gemini.concurrency()).isEqualTo(8);
        assertThat(gemini.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(gemini.lease()).isEqualTo(Duration.ofSeconds(20));
        assertThat(gemini.maxAttempts()).isEqualTo(5);
        assertThat(gemini.nodes().getFirst().apiKey()).isEqualTo("secret");
        assertThat(gemini.nodes().getFirst().weight()).isEqualTo(2);
        assertThat(lanes.get(1).nodes().getFirst().url()).isEqualTo("http://10.0.0.5:8000/v1");
        assertThat(lanes.get(1).nodes().getFirst().name()).isEqualTo("deepseek-1");
        assertThat(lanes.get(1).concurrency()).isEqualTo(64);
        assertThat(lanes.get(2).nodes().getFirst().url()).isEqualTo("http://127.0.0.1:11434/v1");
    }

    @Test
    void errorsNameTheFileAndTheKey() {
        Path file = RunningServer.writeConfig("lanes:\n  g:\n    models: []\n");
        assertThatThrownBy(() -> loader.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("lanes.g.models");
        assertThatThrownBy(() -> load("lanes:\n  g:\n    models: [\"*\"]\n    concurrency: 0\n"))
                .hasMessageContaining("lanes.g.concurrency");
        assertThatThrownBy(() -> load("lanes:\n  g:\n    models: [\"*\"]\n    provider: gemini\n"))
                .hasMessageContaining("lanes.g.provider");
        assertThatThrownBy(() -> load("lanes:\n  g:\n    models: [\"*\"]\n    colour: red\n"))
                .hasMessageContaining("lanes.g.colour: unknown key");
        assertThatThrownBy(() -> load("lanes:\n  g:\n    models: [\"*\"]\n    nodes: [{url: \"ftp://x\"}]\n"))
                .hasMessageContaining("lanes.g.nodes[0].url");
        assertThatThrownBy(() -> load("lanes:\n  g:\n    models: [\"*\"]\n    nodes: [{url: \"${NOPE}\"}]\n"))
                .hasMessageContaining("lanes.g.nodes[0].url").hasMessageContaining("NOPE");
        assertThatThrownBy(() -> load("workers: 3\n")).hasMessageContaining("lanes");
        assertThatThrownBy(() -> load("lanes: [unclosed\n")).hasMessageContaining("cannot read");
    }

    @Test
    void laterFeaturesAreAcceptedSoOneFileServesEveryVersion() {
        List<LaneConfig> lanes = load("""
                lanes:
                  g:
                    models: ["*"]
                    rate_limit: {requests_per_minute: 600}
                    backoff: {initial_ms: 1000}
                    fallback: other
                """);
        assertThat(lanes).hasSize(1);
    }

    @Test
    void withoutAFileTheOriginalServiceVariablesMakeLanes() {
        List<LaneConfig> lanes = DefaultLanes.from(Map.of("GEMINI_SERVICE_URL", "http://g:1/v1",
                "DEEPSEEK_SERVICE_URL", "http://d:2/v1"));
        assertThat(lanes).extracting(LaneConfig::name).containsExactly("gemini", "deepseek", "default");
        assertThat(lanes.get(2).nodes().getFirst().url()).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(DefaultLanes.from(Map.of())).extracting(LaneConfig::name).containsExactly("default");
    }
}
