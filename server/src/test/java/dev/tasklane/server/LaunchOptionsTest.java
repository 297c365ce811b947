package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void rolesAndTheirDefaults() {
        LaunchOptions server = LaunchOptions.parse();
        assertThat(server.role()).isEqualTo("server");
        assertThat(server.runsApi()).isTrue();
        assertThat(server.runsWorkers()).isTrue();
        assertThat(server.effectivePort()).isEqualTo(8000);
        assertThat(server.migrate()).isTrue();

        LaunchOptions worker = LaunchOptions.parse("worker", "--lanes", "gemini, deepseek", "--no-migrate");
        assertThat(worker.runsApi()).isFalse();
        assertThat(worker.effectivePort()).isEqualTo(8001);
        assertThat(worker.lanes()).containsExactly("gemini", "deepseek");
        assertThat(worker.migrate()).isFalse();

        assertThat(LaunchOptions.parse("worker", "--lanes", "all").lanes()).isEmpty();
        assertThat(LaunchOptions.parse("gateway", "--port", "9000", "--host", "0.0.0.0").effectivePort())
                .isEqualTo(9000);
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> LaunchOptions.parse("serve")).hasMessageContaining("unknown role 'serve'");
        assertThatThrownBy(() -> LaunchOptions.parse("--port", "http")).hasMessageContaining("--port");
        assertThatThrownBy(() -> LaunchOptions.parse("--config")).hasMessageContaining("--config needs a value");
        assertThatThrownBy(() -> LaunchOptions.parse("--verbose")).hasMessageContaining("unknown option");
    }

    @Test
    void environmentFollowsConfigMdWithTheOriginalVariablesAsFallback() {
        ServerSettings modern = ServerSettings.from(LaunchOptions.parse(), Map.of(
                "TASKLANE_DATABASE_URL", "jdbc:postgresql://db:5432/tl", "TASKLANE_REDIS_URL", "redis://r:6380",
                "TASKLANE_WORKER_ID", "w-7", "DB_HOST", "ignored"));
        assertThat(modern.databaseUrl()).isEqualTo("jdbc:postgresql://db:5432/tl");
        assertThat(modern.redisUrl()).isEqualTo("redis://r:6380");
        assertThat(modern.workerId()).isEqualTo("w-7");

        ServerSettings original = ServerSettings.from(LaunchOptions.parse(), Map.of(
                "DB_HOST", "pg", "DB_PORT", "5433", "POSTGRES_DB", "ai", "POSTGRES_USER", "u",
                "POSTGRES_PASSWORD", "p", "REDIS_HOST", "cache", "WORKER_ID", "old-1"));
        assertThat(original.databaseUrl()).isEqualTo("jdbc:postgresql://pg:5433/ai");
        assertThat(original.databaseUser()).isEqualTo("u");
        assertThat(original.databasePassword()).isEqualTo("p");
        assertThat(original.redisUrl()).isEqualTo("redis://cache:6379");
        assertThat(original.workerId()).isEqualTo("old-1");

        ServerSettings embedded = ServerSettings.from(LaunchOptions.parse(), Map.of());
        assertThat(embedded.embeddedDatabase()).isTrue();
        assertThat(embedded.embeddedRedis()).isTrue();
        assertThat(embedded.home().getFileName().toString()).isEqualTo(".tasklane");
        assertThat(List.of(embedded.workerId().split("-"))).hasSizeGreaterThan(1);
    }
}
