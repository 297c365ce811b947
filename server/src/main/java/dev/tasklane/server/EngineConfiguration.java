package dev.tasklane.server;

import dev.tasklane.core.engine.Cancellations;
import dev.tasklane.core.engine.DeadLetterReplay;
import dev.tasklane.core.engine.LocalLanes;
import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskPublisher;
import dev.tasklane.core.engine.EnginePorts;
import dev.tasklane.core.engine.WorkerSettings;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.handler.ChatHandler;
import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.handler.NoopHandler;
import dev.tasklane.core.handler.SleepHandler;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.Router;
import dev.tasklane.core.port.BatchStore;
import dev.tasklane.core.port.CancelSignals;
import dev.tasklane.core.port.ConversationStore;
import dev.tasklane.core.port.DeadLetterStore;
import dev.tasklane.core.port.SystemLog;
import dev.tasklane.core.port.ModelClient;
import dev.tasklane.core.port.TaskEventLog;
import dev.tasklane.core.port.TaskStore;
import dev.tasklane.providers.ModelClients;
import dev.tasklane.providers.OpenAiCompatibleClient;
import dev.tasklane.server.config.ConfigException;
import dev.tasklane.server.config.DefaultLanes;
import dev.tasklane.server.config.LaneFileLoader;
import dev.tasklane.server.infra.DisabledSystemLog;
import dev.tasklane.server.infra.Infrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the engine to its ports: the one place that knows which implementation serves each. */
@Configuration
public class EngineConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EngineConfiguration.class);

    @Bean(destroyMethod = "close")
    Infrastructure infrastructure(ServerSettings settings) {
        // closed with the context, after the workers that use it have drained
        return Infrastructure.open(settings, 16, true);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ModelClients modelClients() {
        return ModelClients.of(new OpenAiCompatibleClient(Duration.ofSeconds(5)));
    }

    @Bean
    Router router(ServerSettings settings, ModelClients clients) {
        List<LaneConfig> lanes;
        if (settings.configFile() != null) {
            Path file = Path.of(settings.configFile());
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(file + ": no such file");
            }
            lanes = new LaneFileLoader(clients.providers(), settings.env()).load(file);
        } else {
            lanes = DefaultLanes.from(settings.env());
            log.info("no configuration file: using the built-in lanes {}", lanes.stream().map(LaneConfig::name).toList());
        }
        return new Router(lanes);
    }

    @Bean
    TaskStore taskStore(Infrastructure infrastructure) {
        return infrastructure.storage().tasks();
    }

    @Bean
    BatchStore batchStore(Infrastructure infrastructure) {
        return infrastructure.storage().batches();
    }

    @Bean
    ConversationStore conversationStore(Infrastructure infrastructure) {
        return infrastructure.storage().conversations();
    }

    @Bean
    TaskEventLog taskEventLog(Infrastructure infrastructure) {
        return infrastructure.storage().events();
    }

    @Bean
    DeadLetterStore deadLetterStore(Infrastructure infrastructure) {
        return infrastructure.storage().deadLetters();
    }

    @Bean
    SystemLog systemLog(Infrastructure infrastructure, ServerSettings settings) {
        if (!settings.dbLog()) {
            log.info("ENABLE_DB_LOG is off: unexpected errors go to the process log only");
            return new DisabledSystemLog();
        }
        return infrastructure.storage().systemLog();
    }

    @Bean
    CancelSignals cancelSignals(Infrastructure infrastructure) {
        return infrastructure.cancelSignals();
    }

    @Bean
    HandlerRegistry handlers(ConversationStore conversations, ModelClients clients) {
        Map<String, ModelClient> byProvider = clients.providers().stream()
                .collect(Collectors.toMap(Function.identity(), clients::get));
        return new HandlerRegistry(List.of(new ChatHandler(conversations, byProvider), new NoopHandler(),
                new SleepHandler()));
    }

    /** The lane workers of this process, where its submissions start tasks directly when a worker is idle. */
    @Bean
    LocalLanes localLanes() {
        return new LocalLanes();
    }

    @Bean
    SubmitService submitService(TaskStore tasks, BatchStore batches, ConversationStore conversations,
                                Infrastructure infrastructure, Router router, HandlerRegistry handlers, Clock clock,
                                LocalLanes localLanes) {
        // every role makes each lane's streams and group at start, so ids published
        // before any worker of the lane has run are kept for it
        router.lanes().forEach(lane -> infrastructure.queue().createLane(lane.name()));
        return new SubmitService(tasks, batches, conversations, infrastructure.queue(), router, handlers.types(),
                clock, localLanes);
    }

    @Bean
    Cancellations cancellations(TaskStore tasks, CancelSignals signals, Clock clock) {
        return new Cancellations(tasks, signals, clock);
    }

    @Bean
    DeadLetterReplay deadLetterReplay(DeadLetterStore deadLetters, TaskStore tasks, Infrastructure infrastructure) {
        return new DeadLetterReplay(deadLetters, tasks, new TaskPublisher(infrastructure.queue()));
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "tasklane.workers", havingValue = "true")
    Workers workers(ServerSettings settings, Router router, TaskStore tasks, TaskEventLog events,
                    Infrastructure infrastructure, DeadLetterStore deadLetters, SystemLog systemLog,
                    HandlerRegistry handlers, Clock clock, LocalLanes localLanes) {
        List<String> wanted = settings.options().lanes();
        var unknown = new HashSet<>(wanted);
        router.lanes().forEach(l -> unknown.remove(l.name()));
        if (!unknown.isEmpty()) {
            throw new ConfigException("--lanes: no lane named " + unknown + "; lanes: "
                    + router.lanes().stream().map(LaneConfig::name).toList());
        }
        List<LaneConfig> lanes = router.lanes().stream()
                .filter(l -> wanted.isEmpty() || wanted.contains(l.name())).toList();
        EnginePorts ports = new EnginePorts(tasks, events, infrastructure.queue(), deadLetters, systemLog,
                infrastructure.cancelSignals(), clock);
        ServerSettings.Recovery recovery = settings.recovery();
        Workers workers = new Workers(lanes, ports, handlers, new WorkerSettings(settings.workerId(),
                settings.shutdownGrace(), recovery.maxDeliveries(), recovery.reconcileAfter(),
                recovery.promoteInterval()), localLanes);
        workers.start();
        return workers;
    }
}
