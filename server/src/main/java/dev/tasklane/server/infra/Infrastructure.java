package dev.tasklane.server.infra;

import dev.tasklane.postgres.PostgresStorage;
import dev.tasklane.redis.RedisCancelSignals;
import dev.tasklane.redis.RedisLaneQueue;
import dev.tasklane.server.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The database and the queue of this process, external or embedded, opened in order and closed in reverse. */
public final class Infrastructure implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final EmbeddedServices embedded;
    private final PostgresStorage storage;
    private final RedisLaneQueue queue;
    private final RedisCancelSignals cancelSignals;

    private Infrastructure(EmbeddedServices embedded, PostgresStorage storage, RedisLaneQueue queue,
                           RedisCancelSignals cancelSignals) {
        this.embedded = embedded;
        this.storage = storage;
        this.queue = queue;
        this.cancelSignals = cancelSignals;
    }

    /**
     * @param closedByOwner whether {@link #close()} is sure to run as the process exits (a Spring
     *                      bean's destroy method); see {@link EmbeddedServices}
     */
    public static Infrastructure open(ServerSettings settings, int poolSize, boolean closedByOwner) {
        EmbeddedServices embedded = null;
        if (settings.embeddedDatabase() || settings.embeddedRedis()) {
            embedded = new EmbeddedServices(settings.home(), closedByOwner);
            log.info("no {} configured: running embedded, data under {}",
                    settings.embeddedDatabase() && settings.embeddedRedis() ? "database or Redis"
                            : settings.embeddedDatabase() ? "database" : "Redis", settings.home());
        }
        try {
            String dbUrl = settings.embeddedDatabase() ? embedded.startPostgres() : settings.databaseUrl();
            String redisUrl = settings.embeddedRedis() ? embedded.startRedis() : settings.redisUrl();
            PostgresStorage storage = PostgresStorage.open(dbUrl, settings.embeddedDatabase() ? null
                    : settings.databaseUser(), settings.embeddedDatabase() ? null : settings.databasePassword(),
                    poolSize);
            if (settings.options().migrate()) {
                storage.migrate();
            }
            return new Infrastructure(embedded, storage, new RedisLaneQueue(redisUrl, settings.redisPrefix()),
                    new RedisCancelSignals(redisUrl, settings.redisPrefix()));
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    public PostgresStorage storage() {
        return storage;
    }

    public RedisLaneQueue queue() {
        return queue;
    }

    public RedisCancelSignals cancelSignals() {
        return cancelSignals;
    }

    @Override
    public void close() {
        cancelSignals.close();
        queue.close();
        storage.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
