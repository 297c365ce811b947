package dev.tasklane.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections of the group-commit groups: each group gets a small pool of its own,
 * so that how it flushes and plans are session settings made once per connection, not
 * a SET LOCAL round trip in every transaction, and the shared pool's connections keep
 * the server's defaults.
 */
final class GroupConnections implements AutoCloseable {

    /** Whether a caller is answered after its commit reached the disk, or as soon as it is visible. */
    enum Flush {
        /** The commit is flushed to the WAL on disk before its callers are answered. */
        WAIT,
        /**
         * The commit is answered at once and flushed within moments (PostgreSQL's asynchronous
         * commit): a database crash may undo it, never corrupt it. For writes whose loss only
         * repeats work, never loses a promise; any later flushed commit flushes it too.
         */
        ASYNC
    }

    /** How the group's statements are planned. */
    enum Plans {
        /** A prepared statement's plan may be made once and kept (PostgreSQL's default). */
        CACHED,
        /**
         * The group's statements read and write rows by key only, and the planner is told so:
         * no sequential scans, no hash or merge joins. A plan made once is then the right one
         * however the tables grow, and is kept: made while a new tasks table was nearly empty,
         * a plan PostgreSQL chose freely scanned every queued task for each batch once the
         * table had grown (a claim of 15 tasks took 36 ms after 50,000 submissions to a new
         * database), and planning every batch afresh instead cost 0.3 ms of a statement that
         * runs in 0.1 ms.
         */
        BY_KEY
    }

    private static final Duration BURST_IDLE = Duration.ofSeconds(30);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final List<HikariDataSource> opened = new ArrayList<>();

    GroupConnections(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    /**
     * A pool for the group {@code name}, with the given settings: {@code steady} connections
     * kept open, up to {@code most} while a burst needs them (the ones beyond are closed
     * again after half a minute idle, so that a PostgreSQL shared by many processes counts
     * them only while they work).
     */
    synchronized Database open(String name, int steady, int most, Flush flush, Plans plans) {
        HikariConfig config = PostgresStorage.poolConfig("tasklane-" + name, jdbcUrl, user, password, most);
        config.setMinimumIdle(steady);
        // shown in pg_stat_activity, so that an operator can tell the groups' connections apart
        config.addDataSourceProperty("ApplicationName", "tasklane-" + name);
        config.setIdleTimeout(BURST_IDLE.toMillis());
        String settings = sessionSettings(flush, plans);
        if (settings != null) {
            config.setConnectionInitSql(settings);
        }
        HikariDataSource pool = new HikariDataSource(config);
        opened.add(pool);
        return new Database(pool);
    }

    private static String sessionSettings(Flush flush, Plans plans) {
        List<String> settings = new ArrayList<>();
        if (flush == Flush.ASYNC) {
            settings.add("SET synchronous_commit = off");
        }
        if (plans == Plans.BY_KEY) {
            settings.add("SET plan_cache_mode = force_generic_plan");
            settings.add("SET enable_seqscan = off");
            settings.add("SET enable_hashjoin = off");
            settings.add("SET enable_mergejoin = off");
        }
        return settings.isEmpty() ? null : String.join("; ", settings);
    }

    @Override
    public synchronized void close() {
        opened.forEach(HikariDataSource::close);
        opened.clear();
    }
}
