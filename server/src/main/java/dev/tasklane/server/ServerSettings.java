package dev.tasklane.server;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a process needs to start, resolved once from the command line and the
 * environment (CONFIG.md). A null database or Redis URL means: run the embedded one.
 *
 * @param home          where embedded data and remembered ports live (TASKLANE_HOME)
 * @param redisPrefix   first part of every Redis key, so several installations can share a Redis
 * @param maxBodyBytes  largest request body accepted (413 above)
 * @param maxPromptBytes largest prompt accepted, in UTF-8 bytes (413 above)
 * @param shutdownGrace how long calls in flight may finish when the process stops
 * @param recovery      how workers keep tasks moving after failures
 * @param dbLog         whether unexpected errors are stored for the admin endpoint (ENABLE_DB_LOG)
 */
public record ServerSettings(LaunchOptions options, String configFile, String databaseUrl, String databaseUser,
                             String databasePassword, String redisUrl, String redisPrefix, String workerId,
                             Path home, long maxBodyBytes, long maxPromptBytes, Duration shutdownGrace,
                             Recovery recovery, boolean dbLog, Map<String, String> env) {

    /**
     * @param maxDeliveries   an entry delivered more often is dead-lettered (TASKLANE_MAX_DELIVERIES)
     * @param reconcileAfter  a queued task without a stream entry is published again after this long
     *                        (TASKLANE_RECONCILE_AFTER_SECONDS)
     * @param promoteInterval how often due retries are queued again (TASKLANE_PROMOTE_INTERVAL_MS)
     */
    public record Recovery(int maxDeliveries, Duration reconcileAfter, Duration promoteInterval) {}

    private static final long MIB = 1024 * 1024;

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    public boolean embeddedRedis() {
        return redisUrl == null;
    }

    public static ServerSettings from(LaunchOptions options, Map<String, String> env) {
        String config = options.configFile() != null ? options.configFile() : blankToNull(env.get("TASKLANE_CONFIG"));
        return new ServerSettings(options, config, databaseUrl(env),
                first(env, "TASKLANE_DATABASE_USER", "POSTGRES_USER"),
                first(env, "TASKLANE_DATABASE_PASSWORD", "POSTGRES_PASSWORD"),
                redisUrl(env),
                env.getOrDefault("TASKLANE_REDIS_PREFIX", "tl"),
                workerId(env),
                Path.of(env.getOrDefault("TASKLANE_HOME", ".tasklane")).toAbsolutePath().normalize(),
                longOr(env, "TASKLANE_MAX_BODY_BYTES", 2 * MIB),
                longOr(env, "TASKLANE_MAX_PROMPT_BYTES", MIB),
                Duration.ofSeconds(longOr(env, "TASKLANE_SHUTDOWN_GRACE_SECONDS", 30)),
                new Recovery((int) longOr(env, "TASKLANE_MAX_DELIVERIES", 10),
                        Duration.ofSeconds(longOr(env, "TASKLANE_RECONCILE_AFTER_SECONDS", 15)),
                        Duration.ofMillis(longOr(env, "TASKLANE_PROMOTE_INTERVAL_MS", 500))),
                flag(env, "ENABLE_DB_LOG", true),
                Map.copyOf(env));
    }

    private static String databaseUrl(Map<String, String> env) {
        String url = blankToNull(env.get("TASKLANE_DATABASE_URL"));
        if (url != null) {
            return url;
        }
        String host = blankToNull(env.get("DB_HOST"));
        if (host == null) {
            return null;
        }
        return "jdbc:postgresql://" + host + ":" + env.getOrDefault("DB_PORT", "5432") + "/"
                + env.getOrDefault("POSTGRES_DB", "postgres");
    }

    private static String redisUrl(Map<String, String> env) {
        String url = blankToNull(env.get("TASKLANE_REDIS_URL"));
        if (url != null) {
            return url;
        }
        String host = blankToNull(env.get("REDIS_HOST"));
        return host == null ? null : "redis://" + host + ":" + env.getOrDefault("REDIS_PORT", "6379");
    }

    private static String workerId(Map<String, String> env) {
        String id = first(env, "TASKLANE_WORKER_ID", "WORKER_ID");
        if (id != null) {
            return id;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static String first(Map<String, String> env, String name, String fallback) {
        String value = blankToNull(env.get(name));
        return value != null ? value : blankToNull(env.get(fallback));
    }

    private static long longOr(Map<String, String> env, String name, long fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static boolean flag(Map<String, String> env, String name, boolean fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, not '" + value + "'");
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
