package dev.tasklane.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.lane.LaneConfig;
import dev.tasklane.core.lane.RetryPolicy;
import dev.tasklane.core.lane.Router;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static LaneConfig lane(String name, String... models) {
        return new LaneConfig(name, List.of(models), "openai", 4, Duration.ofSeconds(10), Duration.ofSeconds(30), 3,
                RetryPolicy.DEFAULT,
                List.of());
    }

    private final Router router = new Router(List.of(
            lane("gemini", "gemini-*"),
            lane("deepseek", "deepseek*"),
            lane("sd", "*sd*", "stable*"),
            lane("default", "*")));

    @Test
    void firstMatchingLaneWinsInFileOrder() {
        assertThat(router.route("gemini-2.5-flash")).map(LaneConfig::name).contains("gemini");
        assertThat(router.route("deepseek-r1:1.5b")).map(LaneConfig::name).contains("deepseek");
        assertThat(router.route("stable-diffusion-xl")).map(LaneConfig::name).contains("sd");
        assertThat(router.route("qwen2.5:7b")).map(LaneConfig::name).contains("default");
    }

    @Test
    void matchingIgnoresCase() {
        assertThat(router.route("Gemini-Pro")).map(LaneConfig::name).contains("gemini");
    }

    @Test
    void globCharactersOtherThanStarAndQuestionMarkAreLiteral() {
        Router strict = new Router(List.of(lane("q", "qwen2.5:?b")));
        assertThat(strict.route("qwen2.5:7b")).isPresent();
        assertThat(strict.route("qwen2x5:7b")).isEmpty();
        assertThat(strict.route("qwen2.5:14b")).isEmpty();
    }

    @Test
    void noMatchIsEmptyAndRoutesAreDescribed() {
        Router narrow = new Router(List.of(lane("gemini", "gemini-*"), lane("ds", "deepseek*")));
        assertThat(narrow.route("gpt-4o")).isEmpty();
        assertThat(narrow.describeRoutes()).isEqualTo("gemini: gemini-*; ds: deepseek*");
    }
}
