package dev.tasklane.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tasklane.core.model.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsAreVersion7AndCarryTheMillisecond() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-24T12:00:00.123Z"), ZoneOffset.UTC);
        UUID id = Ids.newId(clock);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isGreaterThanOrEqualTo(clock.millis());
    }

    @Test
    void idsMadeInOneMillisecondSortInCreationOrder() {
        Clock frozen = Clock.fixed(Instant.now().plusSeconds(3600), ZoneOffset.UTC);
        List<UUID> made = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            made.add(Ids.newId(frozen));
        }
        List<String> sorted = made.stream().map(UUID::toString).sorted().toList();
        assertThat(sorted).isEqualTo(made.stream().map(UUID::toString).toList());
    }

    @Test
    void theRandomPartIsFreshForEveryIdAcrossRefillsOfThePool() {
        Clock frozen = Clock.fixed(Instant.now().plusSeconds(7200), ZoneOffset.UTC);
        Set<Long> randomParts = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            randomParts.add(Ids.newId(frozen).getLeastSignificantBits());
        }
        assertThat(randomParts).hasSize(5000);
    }
}
