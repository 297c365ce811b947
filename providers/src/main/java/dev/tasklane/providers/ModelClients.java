package dev.tasklane.providers;

import dev.tasklane.core.port.ModelClient;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model clients of a process, found by the provider name a lane's configuration gives.
 * Closing it closes the clients that hold resources (connection pools, timer threads).
 */
public final class ModelClients implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelClients.class);


    private final SortedMap<String, ModelClient> byProvider;

    /** @throws IllegalArgumentException when two clients claim the same provider name */
    public ModelClients(Collection<? extends ModelClient> clients) {
        SortedMap<String, ModelClient> map = new TreeMap<>();
        for (ModelClient client : clients) {
            ModelClient previous = map.putIfAbsent(client.provider(), client);
            if (previous != null) {
                throw new IllegalArgumentException("two model clients for provider '" + client.provider() + "': "
                        + previous.getClass().getName() + " and " + client.getClass().getName());
            }
        }
        this.byProvider = Collections.unmodifiableSortedMap(map);
    }

    public static ModelClients of(ModelClient... clients) {
        return new ModelClients(Arrays.asList(clients));
    }

    /** @throws IllegalArgumentException naming the known providers when none is called {@code provider} */
    public ModelClient get(String provider) {
        ModelClient client = provider == null ? null : byProvider.get(provider);
        if (client == null) {
            throw new IllegalArgumentException("unknown model provider '" + provider + "'; known providers: "
                    + String.join(", ", providers()));
        }
        return client;
    }

    /** The provider names served, sorted. */
    public Set<String> providers() {
        return byProvider.keySet();
    }

    @Override
    public void close() {
        for (ModelClient client : byProvider.values()) {
            if (client instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing the {} model client failed", client.provider(), e);
                }
            }
        }
    }
}
