package io.orchide.runtime.qemu;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A minimal QEMU Machine Protocol client over the VM's unix socket: reads the greeting, negotiates capabilities
 * and runs argument-less commands. Every read waits on the socket (a selector) with a deadline; events QEMU sends
 * in between are skipped.
 */
public final class QmpClient implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final Duration timeout;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    private QmpClient(SocketChannel channel, Selector selector, Duration timeout) {
        this.channel = channel;
        this.selector = selector;
        this.timeout = timeout;
    }

    /** Connects, reads the greeting and sends {@code qmp_capabilities}. */
    public static QmpClient connect(Path socket, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector sel = null;
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            sel = Selector.open();
            ch.register(sel, SelectionKey.OP_READ);
            QmpClient c = new QmpClient(ch, sel, timeout);
            String greeting = c.readMessage();
            if (!greeting.contains("\"QMP\"")) throw new IOException("not a QMP greeting: " + greeting);
            c.execute("qmp_capabilities");
            return c;
        } catch (IOException | RuntimeException e) {
            if (sel != null) sel.close();
            ch.close();
            throw e;
        }
    }

    /**
     * Runs {@code command} and returns QEMU's {@code return} message. Throws {@link QmpException} when QEMU
     * answers with an error, {@link EOFException} when it closed the connection first.
     */
    public String execute(String command) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(("{\"execute\":\"" + command + "\"}\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) channel.write(out);
        while (true) {
            String msg = readMessage();
            if (msg.startsWith("{\"return\"")) return msg;
            if (msg.startsWith("{\"error\"")) throw new QmpException(command, msg);
            // an asynchronous event ({"timestamp": ..., "event": ...}): skip
        }
    }

    /** Runs {@code quit}: QEMU may close the socket before or after answering, both mean it is going. */
    public void quit() throws IOException {
        try {
            execute("quit");
        } catch (EOFException e) {
            // gone already
        }
    }

    /**
     * Waits, without a deadline, for the next message QEMU sends (an event, since no command is outstanding);
     * throws {@link EOFException} when QEMU closed the connection (it exited).
     */
    public String nextMessage() throws IOException {
        return readMessage(false);
    }

    private String readMessage() throws IOException {
        return readMessage(true);
    }

    private String readMessage(boolean bounded) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = takeLine();
            if (line != null) {
                if (!line.isEmpty()) return line;
                continue;
            }
            long left = bounded ? (deadline - System.nanoTime()) / 1_000_000 : 0;
            if (bounded && left <= 0) throw new IOException("no answer from QMP within " + timeout.toMillis() + " ms");
            selector.select(left);
            selector.selectedKeys().clear();
            in.clear();
            int n = channel.read(in);
            if (n < 0) throw new EOFException("QMP connection closed");
            pending.write(in.array(), 0, n);
        }
    }

    /** The next complete line received, stripped, or null when none is complete yet. */
    private String takeLine() {
        byte[] b = pending.toByteArray();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                pending.reset();
                pending.write(b, i + 1, b.length - i - 1);
                return new String(b, 0, i, StandardCharsets.UTF_8).strip();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    /** QEMU answered a command with an error. */
    public static final class QmpException extends IOException {
        private final String command;
        private final String reply;

        public QmpException(String command, String reply) {
            super("QMP " + command + " failed: " + reply);
            this.command = command;
            this.reply = reply;
        }

        public String command() { return command; }

        public String reply() { return reply; }
    }
}
