package dev.tasklane.server.config;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.lane.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lanes used when no configuration file is given: {@code gemini} and
 * {@code deepseek} when the original design's service URLs are set, and a
 * catch-all {@code default} lane on LLM_SERVICE_URL (Ollama's address by default).
 */
public final class DefaultLanes {
    private DefaultLanes() {}

    public static List<LaneConfig> from(Map<String, String> env) {
        List<LaneConfig> lanes = new ArrayList<>();
        String gemini = env.get("GEMINI_SERVICE_URL");
        if (gemini != null && !gemini.isBlank()) {
            lanes.add(lane("gemini", "gemini*", gemini, Duration.ofSeconds(120)));
        }
        String deepseek = env.get("DEEPSEEK_SERVICE_URL");
        if (deepseek != null && !deepseek.isBlank()) {
            lanes.add(lane("deepseek", "deepseek*", deepseek, Duration.ofSeconds(300)));
        }
        String llm = env.getOrDefault("LLM_SERVICE_URL", "http://127.0.0.1:11434/v1");
        lanes.add(lane("default", "*", llm, Duration.ofSeconds(120)));
        return lanes;
    }

    private static LaneConfig lane(String name, String pattern, String url, Duration timeout) {
        return new LaneConfig(name, List.of(pattern), "openai", 64, timeout, Duration.ofSeconds(30), 3,
                RetryPolicy.DEFAULT,
                List.of(new NodeConfig(name, url.trim(), null, 1, 0)));
    }
}
