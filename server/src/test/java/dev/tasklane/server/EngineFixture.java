package dev.tasklane.server;

import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskRunner;
import dev.tasklane.core.engine.TaskSubmit;
import dev.tasklane.core.engine.Workers;
import dev.tasklane.core.handler.ChatHandler;
import dev.tasklane.core.handler.HandlerRegistry;
import dev.tasklane.core.handler.NoopHandler;
import dev.tasklane.core.handler.SleepHandler;
import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.NodeConfig;
import dev.tasklane.core.lane.Router;
import dev.tasklane.core.model.Priority;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.Tenants;
import dev.tasklane.postgres.PostgresStorage;
import dev.tasklane.providers.OpenAiCompatibleClient;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine on the real PostgreSQL and Redis without the HTTP layer: one lane,
 * a submit service, and workers made on demand. close() removes what it made.
 */
final class EngineFixture implements AutoCloseable {
    final TestDatabase database;
    final String prefix;
    final PostgresStorage storage;
    final RedisLaneQueue queue;
    final LaneConfig lane;
    final SubmitService submit;

    EngineFixture(String hint, String modelUrl, int concurrency) {
        database = TestPostgres.newDatabase(hint);
        prefix = TestRedis.newPrefix(hint);
        storage = PostgresStorage.open(database.jdbcUrl(), null, null, 8);
        storage.migrate();
        queue = new RedisLaneQueue(TestRedis.url(), prefix);
        lane = new LaneConfig("llm", List.of("*"), "openai", concurrency, Duration.ofSeconds(30),
                Duration.ofSeconds(60), 3, List.of(new NodeConfig("fake", modelUrl, null, 1, 0)));
        HandlerRegistry handlers = handlers();
        submit = new SubmitService(storage.tasks(), storage.conversations(), queue, new Router(List.of(lane)),
                handlers.types(), Clock.systemUTC());
        queue.createLane(lane.name());
    }

    private HandlerRegistry handlers() {
        return new HandlerRegistry(List.of(new ChatHandler(storage.conversations(),
                Map.of("openai", new OpenAiCompatibleClient(Duration.ofSeconds(5)))), new NoopHandler(),
                new SleepHandler()));
    }

    Workers workers(String id, Duration grace) {
        TaskRunner runner = new TaskRunner(storage.tasks(), storage.events(), queue, handlers(), id,
                Clock.systemUTC());
        return new Workers(List.of(lane), queue, runner, id, grace);
    }

    Task submit(String type, ObjectNode input) {
        return submit.submitTask(new TaskSubmit(Tenants.DEFAULT, type, "any-model", null, input, Priority.NORMAL,
                null, null, null, null));
    }

    /** Polls the database until {@code sql} counts {@code expected}; fails after {@code within}. */
    void awaitCount(String sql, long expected, Duration within) {
        Instant deadline = Instant.now().plus(within);
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            seen = count(sql);
            if (seen == expected) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(sql + " counted " + seen + ", not " + expected + ", within " + within);
    }

    long count(String sql) {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl());
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
        queue.close();
        storage.close();
        RunningServer.deleteKeys(prefix);
        database.drop();
    }
}
