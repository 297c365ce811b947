package dev.tasklane.server;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The launcher's command line: a role and its options.
 *
 * @param role       server (gateway and workers), gateway, worker or migrate
 * @param lanes      lanes whose workers run here; empty means all
 * @param port       null takes the role's default (8000, or 8001 for a worker)
 * @param configFile null falls back to TASKLANE_CONFIG, then to the built-in lanes
 */
public record LaunchOptions(String role, String configFile, Integer port, String host, List<String> lanes,
                            boolean migrate) {

    public static final Set<String> ROLES = Set.of("server", "gateway", "worker", "migrate", "bench");

    public static final String USAGE = """
            usage: tasklane [server|gateway|worker|migrate] [options]
              server                 gateway and workers for every lane (default)
              gateway                the HTTP API only
              worker [--lanes a,b]   workers only, for the named lanes (all by default)
              migrate                create or upgrade the database schema, then exit
              bench                  the benchmark (knobs in the environment: CASES, RUNS, N, ...)
            options: --config FILE, --port N, --host ADDR, --no-migrate""";

    public boolean runsApi() {
        return role.equals("server") || role.equals("gateway");
    }

    public boolean runsWorkers() {
        return role.equals("server") || role.equals("worker");
    }

    public int effectivePort() {
        return port != null ? port : role.equals("worker") ? 8001 : 8000;
    }

    /** Parses the arguments; throws {@link IllegalArgumentException} with a message for the user. */
    public static LaunchOptions parse(String... args) {
        String role = "server";
        String config = null;
        Integer port = null;
        String host = "127.0.0.1";
        List<String> lanes = List.of();
        boolean migrate = true;
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            role = args[0];
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "'");
            }
            i = 1;
        }
        for (; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config" -> config = value(args, ++i, arg);
                case "--port" -> port = parsePort(value(args, ++i, arg));
                case "--host" -> host = value(args, ++i, arg);
                case "--lanes" -> lanes = parseLanes(value(args, ++i, arg));
                case "--no-migrate" -> migrate = false;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new LaunchOptions(role, config, port, host, lanes, migrate);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + text + "'");
        }
    }

    private static List<String> parseLanes(String text) {
        List<String> names = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return names.equals(List.of("all")) ? List.of() : names;
    }
}
