package dev.tasklane.providers;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Blocking HTTP/1.1 POSTs over pooled keep-alive connections (Apache HttpClient 5, classic).
 * Made for callers on virtual threads: a call blocks its own thread in a socket read, which
 * the JDK parks on its poller, so thousands of calls in flight cost thousands of parked
 * threads and sockets, not a selector thread and a chain of futures each. On a virtual
 * thread an interrupt closes the socket and ends the call at once.
 */
final class BlockingHttp implements Closeable {

    /** A whole answer: status, Retry-After header (or null) and body. */
    record Answer(int status, String retryAfter, byte[] body) {}

    /** The call outlived its deadline and was aborted. */
    static final class DeadlineExceeded extends IOException {
        DeadlineExceeded(IOException cause) {
            super("no whole answer before the deadline", cause);
        }
    }

    /** Connections idle longer than this are checked before reuse: a server may have closed them. */
    private static final TimeValue CHECK_AFTER_IDLE = TimeValue.ofSeconds(2);
    private static final TimeValue EVICT_AFTER_IDLE = TimeValue.ofSeconds(60);

    /**
     * Each connection's input and output buffer (HttpClient's default is 8 KiB each). With
     * thousands of calls in flight these buffers are most of the heap the calls hold, so
     * they are kept small; longer answers are read in more chunks, not cut.
     */
    private static final int BUFFER_BYTES = 2048;

    /** JSON is UTF-8 by definition (RFC 8259) and takes no charset parameter; some servers refuse one. */
    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient client;
    private final ScheduledThreadPoolExecutor deadlines;

    BlockingHttp(Duration connectTimeout) {
        // Lane concurrency bounds the calls in flight, and so the connections; the pool adds no limit of its own.
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                                .http1Config(Http1Config.custom().setBufferSize(BUFFER_BYTES).build())
                                .build())
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnTotal(Integer.MAX_VALUE)
                        .setMaxConnPerRoute(Integer.MAX_VALUE)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setValidateAfterInactivity(CHECK_AFTER_IDLE)
                                .build())
                        .build())
                // retries, redirects and their limits are the engine's decisions
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(EVICT_AFTER_IDLE)
                .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("http-deadlines").factory());
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /**
     * Posts a JSON body and reads the whole answer before {@code timeout} has passed.
     * The deadline covers connecting, waiting and reading a body that trickles.
     *
     * @throws DeadlineExceeded when the timeout passed first
     * @throws IOException when the connection failed or the call was interrupted
     */
    Answer postJson(URI uri, byte[] json, Map<String, String> headers, Duration timeout) throws IOException {
        HttpPost post = new HttpPost(uri);
        post.setEntity(new ByteArrayEntity(json, JSON));
        headers.forEach(post::setHeader);
        post.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            post.cancel();
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return client.execute(post, response -> {
                Header retryAfter = response.getFirstHeader("Retry-After");
                byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                return new Answer(response.getCode(), retryAfter == null ? null : retryAfter.getValue(), body);
            });
        } catch (IOException e) {
            throw expired.get() ? new DeadlineExceeded(e) : e;
        } finally {
            deadline.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }
}
