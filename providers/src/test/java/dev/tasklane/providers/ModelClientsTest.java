package dev.tasklane.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.port.ModelClient;
import dev.tasklane.core.port.ModelRequest;
import dev.tasklane.core.port.ModelResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
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

    @Test
    void closingClosesTheClientsThatHoldResources() {
        AtomicBoolean closed = new AtomicBoolean();
        ModelClient closeable = new ClosingClient(closed);

        ModelClients.of(closeable).close();

        assertThat(closed).isTrue();
    }

    private record ClosingClient(AtomicBoolean closed) implements ModelClient, AutoCloseable {
        @Override
        public String provider() {
            return "closing";
        }

        @Override
        public ModelResponse complete(ModelRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
