package dev.tasklane.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModelClientsTest {

    private final OpenAiCompatibleClient openAi = new OpenAiCompatibleClient(Duration.ofSeconds(1));

    @Test
    void findsAClientByItsProviderName() {
        ModelClients clients = ModelClients.of(openAi);

        assertThat(clients.get("openai")).isSameAs(openAi);
        assertThat(clients.providers()).containsExactly("openai");
    }

    @Test
    void anUnknownProviderIsRejectedNamingTheKnownOnes() {
        ModelClients clients = ModelClients.of(openAi);

        assertThatThrownBy(() -> clients.get("gemini"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gemini")
                .hasMessageContaining("known providers: openai");
        assertThatThrownBy(() -> clients.get(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoClientsForOneProviderAreRejected() {
        assertThatThrownBy(() -> ModelClients.of(openAi, new OpenAiCompatibleClient(Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openai");
    }
}
