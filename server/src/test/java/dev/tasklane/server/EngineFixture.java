package dev.tasklane.server;

import dev.tasklane.core.engine.EnginePorts;
import dev.tasklane.core.port.TaskStore;
import dev.tasklane.core.engine.LocalLanes;
import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.engine.WorkerSettings;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.handler.ChatHandler;
import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.handler.NoopHandler;
import dev.tasklane.core.handler.SleepHandler;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.lane.RetryPolicy;
import dev.tasklane.core.lane.Router;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.core.port.LaneQueue;
import dev.tasklane.postgres.PostgresStorage;
import dev.tasklane.providers.OpenAiCompatibleClient;
import dev.tasklane.redis.RedisCancelSignals;
import dev.tasklane.redis.RedisLaneQueue;
import dev.tasklane.testing.TestPostgres;
import dev.tasklane.testing.TestPostgres.TestDatabase;
import dev.tasklane.testing.TestRedis;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine on real PostgreSQL and Redis without the HTTP layer: one lane named
 * {@code llm}, a submit service, and workers made on demand. close() removes what it made.
 */
final class EngineFixture implements AutoCloseable {
    final TestDatabase database;
    final String jdbcUrl;
    final String redisUrl;
    final String prefix;
    final PostgresStorage storage;
    final RedisLaneQueue queue;
    final RedisCancelSignals cancelSignals;
    final LaneConfig lane;
    /** Where the fixture's workers register; {@link #submit} does not look here, so it always publishes. */
    final LocalLanes localLanes = new LocalLanes();
    final SubmitService submit;

    /** The lane most tests use: every model, the fake model server's node, quick retries. */
    static LaneConfig lane(String modelUrl, int concurrency, Duration lease, int maxAttempts, Duration timeout) {
        return new LaneConfig("llm", List.of("*"), "openai", concurrency, timeout, lease, maxAttempts,
                new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(400), 2.0),
                List.of(new NodeConfig("fake", modelUrl, null, 1, 0)));
    }

    EngineFixture(String hint, String modelUrl, int concurrency) {
        this(hint, lane(modelUrl, concurrency, Duration.ofSeconds(60), 3, Duration.ofSeconds(30)), null, null);
    }

    /**
     * @param jdbcUrl  a database of the test's own (e.g. one it restarts), or null for a new test database
     * @param redisUrl a Redis of the test's own (e.g. one it flushes), or null for the shared test Redis
     */
    EngineFixture(String hint, LaneConfig lane, String jdbcUrl, String redisUrl) {
        this.lane = lane;
        this.database = jdbcUrl == null ? TestPostgres.newDatabase(hint) : null;
        this.jdbcUrl = jdbcUrl != null ? jdbcUrl : database.jdbcUrl();
        this.redisUrl = redisUrl != null ? redisUrl : TestRedis.url();
        this.prefix = TestRedis.newPrefix(hint);
        storage = PostgresStorage.open(this.jdbcUrl, null, null, 8);
        storage.migrate();
        queue = new RedisLaneQueue(this.redisUrl, prefix);
        cancelSignals = new RedisCancelSignals(this.redisUrl, prefix);
        submit = submitService(queue);
        queue.createLane(lane.name());
    }

    /** A submit service publishing through {@code through}, e.g. a queue that fails on purpose. */
    SubmitService submitService(LaneQueue through) {
        return submitService(through, new LocalLanes());
    }

    /** A submit service that starts tasks on this fixture's idle workers, as one process does. */
    SubmitService submitServiceStartingLocally(LaneQueue through) {
        return submitService(through, localLanes);
    }

    /** A submit service that starts tasks on this fixture's idle workers and writes them through {@code tasks}. */
    SubmitService submitServiceStartingLocally(LaneQueue through, TaskStore tasks) {
        return submitService(through, localLanes, tasks);
    }

    private SubmitService submitService(LaneQueue through, LocalLanes startingOn) {
        return submitService(through, startingOn, storage.tasks());
    }

    private SubmitService submitService(LaneQueue through, LocalLanes startingOn, TaskStore tasks) {
        return new SubmitService(tasks, storage.batches(), storage.conversations(), through,
                new Router(List.of(lane)), handlers().types(), Clock.systemUTC(), startingOn);
    }


    private HandlerRegistry handlers() {
        return new HandlerRegistry(List.of(new ChatHandler(storage.conversations(),
                Map.of("openai", new OpenAiCompatibleClient(Duration.ofSeconds(5)))), new NoopHandler(),
                new SleepHandler()));
    }

    Workers workers(String id, Duration grace) {
        return workers(id, grace, storage.tasks());
    }

    /** Workers writing through {@code tasks}, e.g. a store that holds up some writes on purpose. */
    Workers workers(String id, Duration grace, TaskStore tasks) {
        return workers(id, grace, tasks, queue);
    }

    /** Workers reading through {@code reading}, e.g. a queue that reports its calls. */
    Workers workers(String id, Duration grace, TaskStore tasks, LaneQueue reading) {
        EnginePorts ports = new EnginePorts(tasks, storage.events(), reading, storage.deadLetters(),
                storage.systemLog(), cancelSignals, Clock.systemUTC());
        return new Workers(List.of(lane), ports, handlers(),
                new WorkerSettings(id, grace, 5, Duration.ofSeconds(1), Duration.ofMillis(100)), localLanes);
    }

    Task submit(String type, ObjectNode input) {
        return submit.submitTask(new TaskSubmit(Tenants.DEFAULT, type, "any-model", null, input, Priority.NORMAL,
                null, null, null, null)).task();
    }

    /** Polls the database until {@code sql} counts {@code expected}; fails after {@code within}. */
    void awaitCount(String sql, long expected, Duration within) {
        long[] seen = {-1};
        await(() -> (seen[0] = count(sql)) == expected, within, () -> sql + " counted " + seen[0] + ", not " + expected);
    }

    static void await(BooleanSupplier condition, Duration within, java.util.function.Supplier<String> failure) {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(failure.get() + " within " + within);
    }

    long count(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        cancelSignals.close();
        queue.close();
        storage.close();
        if (redisUrl.equals(TestRedis.url())) {
            RunningServer.deleteKeys(prefix);
        }
        if (database != null) {
            database.drop();
        }
    }
}
