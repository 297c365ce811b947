package dev.tasklane.server;

import dev.tasklane.server.bench.BenchMain;
import dev.tasklane.server.config.ConfigException;
import dev.tasklane.server.infra.Infrastructure;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The process entry point: parses the role, then runs it. */
public final class TasklaneMain {
    private static final String NETTY_LEAK_DETECTION = "io.netty.leakDetection.level";

    private TasklaneMain() {}

    public static void main(String[] args) throws Exception {
        // Netty (under Lettuce) samples buffers for leak reports by default, at a cost on every
        // Redis command; an operator who hunts a leak can still turn it on with -D.
        if (System.getProperty(NETTY_LEAK_DETECTION) == null) {
            System.setProperty(NETTY_LEAK_DETECTION, "disabled");
        }
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tasklane: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            ServerSettings settings = ServerSettings.from(options, System.getenv());
            if (options.role().equals("bench")) {
                System.exit(BenchMain.run(settings, System.getenv(), System.out));
                return;
            }
            if (options.role().equals("migrate")) {
                try (Infrastructure ignored = Infrastructure.open(settings, 1, false)) {
                    System.out.println("tasklane: the database schema is up to date");
                }
                return;
            }
            start(settings);
        } catch (RuntimeException e) {
            ConfigException config = findConfigError(e);
            if (config == null) {
                throw e;
            }
            System.err.println("tasklane: configuration error: " + config.getMessage());
            System.exit(1);
        }
    }

    /** Starts the role's application context; tests call this with their own settings. */
    public static ConfigurableApplicationContext start(ServerSettings settings) {
        LaunchOptions options = settings.options();
        SpringApplication app = new SpringApplication(TasklaneApplication.class);
        app.setBannerMode(Banner.Mode.OFF);
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", options.effectivePort());
        props.put("server.address", options.host());
        props.put("server.shutdown", "graceful");
        props.put("spring.threads.virtual.enabled", "true");
        // Tomcat closes a keep-alive connection after 100 requests by default; a client's
        // pool would then reconnect all the time under load
        props.put("server.tomcat.max-keep-alive-requests", "-1");
        // initdb's and pg_ctl's chatter; Tasklane itself says where the embedded data lives
        props.put("logging.level.io.zonky.test.db.postgres", "WARN");
        props.put("spring.servlet.multipart.max-request-size", settings.maxBodyBytes());
        props.put("spring.servlet.multipart.max-file-size", settings.maxBodyBytes());
        props.put("spring.mvc.problemdetails.enabled", "true");
        props.put("springdoc.api-docs.path", "/openapi.json");
        props.put("springdoc.swagger-ui.path", "/docs");
        props.put("springdoc.paths-to-match", "/v1/**");
        // the controllers answer with JSON trees, which the polymorphic model converter cannot introspect
        props.put("springdoc.model-converters.polymorphic-converter.enabled", "false");
        props.put("tasklane.api", Boolean.toString(options.runsApi()));
        props.put("tasklane.workers", Boolean.toString(options.runsWorkers()));
        app.setDefaultProperties(props);
        app.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("serverSettings", settings));
        return app.run();
    }

    private static ConfigException findConfigError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        return null;
    }
}
