package dev.tasklane.server.config;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.lane.RetryPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the lanes of a configuration file (CONFIG.md), in file order. Every
 * error names the file and the key; keys of features this version does not
 * run yet are accepted and reported once at start.
 */
public final class LaneFileLoader {
    private static final Logger log = LoggerFactory.getLogger(LaneFileLoader.class);
    private static final Set<String> LANE_KEYS = Set.of("models", "provider", "concurrency", "timeout_seconds",
            "lease_seconds", "max_attempts", "backoff", "nodes");
    private static final Set<String> LATER_LANE_KEYS = Set.of("rate_limit", "sticky_sessions",
            "refusal_patterns", "fallback");
    private static final Set<String> BACKOFF_KEYS = Set.of("initial_ms", "max_ms", "multiplier");
    private static final Set<String> NODE_KEYS = Set.of("name", "url", "api_key", "weight", "max_concurrency");

    private final Set<String> providers;
    private final Map<String, String> env;

    /** @param providers the provider names this build can call */
    public LaneFileLoader(Set<String> providers, Map<String, String> env) {
        this.providers = providers;
        this.env = env;
    }

    public List<LaneConfig> load(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw new ConfigException(file + ": cannot read the file: " + e.getMessage());
        }
        JsonNode lanes = root == null ? null : root.get("lanes");
        if (lanes == null || !lanes.isObject() || lanes.isEmpty()) {
            throw new ConfigException(file + ": lanes: at least one lane is required");
        }
        List<LaneConfig> result = new ArrayList<>();
        for (Map.Entry<String, JsonNode> lane : lanes.properties()) {
            result.add(new LaneReader(file + ": lanes." + lane.getKey(), lane.getKey(), lane.getValue()).read());
        }
        return result;
    }

    /** Reads one lane; {@code where} prefixes every error. */
    private final class LaneReader {
        private final String where;
        private final String name;
        private final JsonNode node;

        LaneReader(String where, String name, JsonNode node) {
            this.where = where;
            this.name = name;
            this.node = node;
        }

        LaneConfig read() {
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new ConfigException(where + ": a lane name is 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (node == null || !node.isObject()) {
                throw new ConfigException(where + ": must be a mapping");
            }
            for (String key : node.propertyNames()) {
                if (LATER_LANE_KEYS.contains(key)) {
                    log.warn("{}.{}: not supported by this version yet; ignored", where, key);
                } else if (!LANE_KEYS.contains(key)) {
                    throw new ConfigException(where + "." + key + ": unknown key; known: " + LANE_KEYS);
                }
            }
            String provider = string(node, "provider", "openai", where + ".provider");
            if (!providers.contains(provider)) {
                throw new ConfigException(where + ".provider: '" + provider + "' is not available; available: "
                        + providers);
            }
            return new LaneConfig(name, models(), provider,
                    positive(node, "concurrency", 64),
                    Duration.ofSeconds(positive(node, "timeout_seconds", 120)),
                    Duration.ofSeconds(positive(node, "lease_seconds", 30)),
                    positive(node, "max_attempts", 3),
                    backoff(),
                    nodes());
        }

        private List<String> models() {
            JsonNode models = node.get("models");
            if (models == null || !models.isArray() || models.isEmpty()) {
                throw new ConfigException(where + ".models: a list of at least one model pattern is required");
            }
            List<String> patterns = new ArrayList<>();
            for (JsonNode m : models) {
                if (!m.isString() || m.asString().isBlank()) {
                    throw new ConfigException(where + ".models: every pattern must be a non-empty string");
                }
                patterns.add(m.asString());
            }
            return patterns;
        }

        private RetryPolicy backoff() {
            JsonNode backoff = node.get("backoff");
            if (backoff == null || backoff.isNull()) {
                return RetryPolicy.DEFAULT;
            }
            String at = where + ".backoff";
            if (!backoff.isObject()) {
                throw new ConfigException(at + ": must be a mapping of initial_ms, max_ms, multiplier");
            }
            for (String key : backoff.propertyNames()) {
                if (!BACKOFF_KEYS.contains(key)) {
                    throw new ConfigException(at + "." + key + ": unknown key; known: " + BACKOFF_KEYS);
                }
            }
            RetryPolicy defaults = RetryPolicy.DEFAULT;
            long initial = nonNegative(backoff, "initial_ms", (int) defaults.initial().toMillis());
            long max = nonNegative(backoff, "max_ms", (int) defaults.max().toMillis());
            JsonNode multiplier = backoff.get("multiplier");
            if (multiplier != null && !(multiplier.isNumber() && multiplier.asDouble() >= 1.0)) {
                throw new ConfigException(at + ".multiplier: must be a number of at least 1");
            }
            if (max < initial) {
                throw new ConfigException(at + ".max_ms: must be at least initial_ms");
            }
            return new RetryPolicy(Duration.ofMillis(initial), Duration.ofMillis(max),
                    multiplier == null ? defaults.multiplier() : multiplier.asDouble());
        }

        private List<NodeConfig> nodes() {
            JsonNode nodes = node.get("nodes");
            if (nodes == null) {
                return List.of();
            }
            if (!nodes.isArray()) {
                throw new ConfigException(where + ".nodes: must be a list");
            }
            List<NodeConfig> result = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                String at = where + ".nodes[" + i + "]";
                JsonNode n = nodes.get(i);
                if (!n.isObject()) {
                    throw new ConfigException(at + ": must be a mapping with at least url");
                }
                for (String key : n.propertyNames()) {
                    if (!NODE_KEYS.contains(key)) {
                        throw new ConfigException(at + "." + key + ": unknown key; known: " + NODE_KEYS);
                    }
                }
                String url = string(n, "url", null, at + ".url");
                if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                    throw new ConfigException(at + ".url: an http:// or https:// URL is required");
                }
                result.add(new NodeConfig(string(n, "name", name + "-" + (i + 1), at + ".name"), url,
                        string(n, "api_key", null, at + ".api_key"),
                        positive(n, "weight", 1), nonNegative(n, "max_concurrency", 0)));
            }
            return result;
        }

        private String string(JsonNode from, String key, String fallback, String at) {
            JsonNode value = from.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isString()) {
                throw new ConfigException(at + ": must be a string");
            }
            return EnvSubstitution.apply(value.asString(), env, at);
        }

        private int positive(JsonNode from, String key, int fallback) {
            int value = nonNegative(from, key, fallback);
            if (value == 0) {
                throw new ConfigException(where + "." + key + ": must be at least 1");
            }
            return value;
        }

        private int nonNegative(JsonNode from, String key, int fallback) {
            JsonNode value = from.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > Integer.MAX_VALUE) {
                throw new ConfigException(where + "." + key + ": must be a whole number of at least 0");
            }
            return value.asInt();
        }
    }
}
