package dev.tasklane.server.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * An OpenAI-compatible model server that answers every chat completion after a fixed
 * delay. One thread and one selector serve every keep-alive connection; a request read
 * whole is queued for its answer, and as the delay is the same for all, the queue is in
 * due order. Like a real model server it holds thousands of connections open at little
 * cost, and it spends little CPU and memory of the machine it shares with the engine
 * under test: no thread stack per connection for its collector to scan, no pause that
 * would hold up every answer due meanwhile. {@link ModelServerProcess} runs it in a
 * process of its own.
 */
final class SlowModelServer implements AutoCloseable {
    private static final byte[] ANSWER = ("{\"id\":\"bench\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] REPLY = concat(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + ANSWER.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), ANSWER);

    /** A request read whole, answered at {@code dueNanos}. */
    private record Due(SelectionKey key, long dueNanos) {}

    private final ServerSocketChannel server;
    private final Selector selector;
    private final long delayNanos;
    private final ArrayDeque<Due> due = new ArrayDeque<>();
    private final Thread loop;
    /** Set by {@link #close()}; the loop then closes the selector itself, so no iteration of its keys is cut short. */
    private volatile boolean closing;

    SlowModelServer(int delayMillis) {
        this.delayNanos = delayMillis * 1_000_000L;
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16_384);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loop = Thread.ofPlatform().daemon().name("slow-model").start(this::serve);
    }

    private void serve() {
        try (selector; server) {
            while (!closing) {
                Due next = due.peek();
                long waitMillis = next == null ? 0 : Math.max(1, (next.dueNanos() - System.nanoTime() + 999_999) / 1_000_000);
                selector.select(waitMillis);
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    it.remove();
                    handle(key);
                }
                answerDue();
            }
            selector.keys().forEach(SlowModelServer::close);
        } catch (IOException e) {
            System.err.println("the benchmark's model server stopped: " + e);
        }
    }

    private void handle(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            SocketChannel connection;
            while ((connection = server.accept()) != null) {
                connection.configureBlocking(false);
                connection.socket().setTcpNoDelay(true);
                connection.register(selector, SelectionKey.OP_READ, new Connection());
            }
            return;
        }
        Connection connection = (Connection) key.attachment();
        if (key.isWritable()) {
            flush(key, connection);
        }
        if (key.isValid() && key.isReadable()) {
            read(key, connection);
        }
    }

    private void read(SelectionKey key, Connection connection) {
        try {
            if (((SocketChannel) key.channel()).read(connection.in()) < 0) {
                close(key);
                return;
            }
        } catch (IOException e) {
            close(key);
            return;
        }
        for (int requests = connection.takeRequests(); requests > 0; requests--) {
            due.add(new Due(key, System.nanoTime() + delayNanos));
        }
    }

    private void answerDue() {
        long now = System.nanoTime();
        while (!due.isEmpty() && due.peek().dueNanos() - now <= 0) {
            SelectionKey key = due.poll().key();
            if (key.isValid()) {
                Connection connection = (Connection) key.attachment();
                connection.queueReply(REPLY);
                flush(key, connection);
            }
        }
    }

    private void flush(SelectionKey key, Connection connection) {
        try {
            boolean done = connection.writeTo((SocketChannel) key.channel());
            key.interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } catch (IOException e) {
            close(key);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /**
     * Runs a server in this process until its standard input closes (the process that
     * started it ended or let it go); tells its port on the first line of {@code out}.
     */
    static int serveUntilStdinCloses(int delayMillis, PrintStream out) throws IOException {
        try (SlowModelServer model = new SlowModelServer(delayMillis)) {
            out.println(ModelServerProcess.READY + model.port());
            out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
        return 0;
    }

    int port() {
        return server.socket().getLocalPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One connection's unread request bytes and unsent answers. */
    private static final class Connection {
        private ByteBuffer in = ByteBuffer.allocate(1024);
        private ByteBuffer out = ByteBuffer.allocate(0);

        ByteBuffer in() {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            return in;
        }

        /** Removes every whole request (head and Content-Length body) read so far; returns how many. */
        int takeRequests() {
            int taken = 0;
            in.flip();
            while (true) {
                int length = RequestHead.wholeLength(in);
                if (length < 0) {
                    break;
                }
                in.position(in.position() + length);
                taken++;
            }
            in.compact();
            return taken;
        }

        void queueReply(byte[] reply) {
            ByteBuffer both = ByteBuffer.allocate(out.remaining() + reply.length);
            out = both.put(out).put(reply).flip();
        }

        /** @return whether everything queued was sent */
        boolean writeTo(SocketChannel channel) throws IOException {
            channel.write(out);
            return !out.hasRemaining();
        }
    }
}
