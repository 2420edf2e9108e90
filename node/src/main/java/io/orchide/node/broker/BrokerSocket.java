package io.orchide.node.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The pull API of one workload: a Unix domain socket that speaks JSON lines. Each request is one line,
 * {@code {"id": 1, "verb": "capture", "device": "camera-1", ...}} (the verb's arguments beside: {@code dataset} for
 * a capture, {@code properties} for a configure), and each gets one answer line with the same {@code id}:
 * {@code {"id": 1, "ok": true, "grant": "...", "result": {...}}} or
 * {@code {"id": 1, "ok": false, "code": "outside_window", "message": "..."}} (codes of {@link Decision}, and
 * {@code invalid} with {@code field} for a request that does not read). Who asks is the socket's {@link Caller}, fixed
 * when it is opened: a workload reaches only its own socket. A line longer than {@link #MAX_LINE} ends the connection.
 */
public final class BrokerSocket implements AutoCloseable {
    /** The longest request line read, in characters. */
    public static final int MAX_LINE = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(BrokerSocket.class.getName());

    private final Path path;
    private final ServerSocketChannel server;
    private final Supplier<Caller> caller;
    private final Broker broker;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private BrokerSocket(Path path, ServerSocketChannel server, Supplier<Caller> caller, Broker broker) {
        this.path = path;
        this.server = server;
        this.caller = caller;
        this.broker = broker;
        this.acceptor = Thread.ofVirtual().name("broker-" + path.getFileName()).start(this::accept);
    }

    /**
     * Listens at {@code path} (a stale socket file there is replaced) for the requests of {@code caller}, asked at
     * each request so that a pipeline's priority changed since is the one that counts.
     */
    public static BrokerSocket open(Path path, Supplier<Caller> caller, Broker broker) throws IOException {
        Files.createDirectories(path.getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            // a guest runs as another user than the agent: the socket's file is its only gate, and the path is its own
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new BrokerSocket(path, server, caller, broker);
    }

    public Path path() {
        return path;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                open.add(c);
                Thread.ofVirtual().name("broker-conn").start(() -> serve(c));
            } catch (IOException e) {
                if (server.isOpen()) LOG.log(System.Logger.Level.WARNING, "broker socket " + path + ": " + e.getMessage());
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
             OutputStream out = Channels.newOutputStream(c)) {
            StringBuilder line = new StringBuilder();
            int ch;
            while ((ch = in.read()) >= 0) {
                if (ch != '\n') {
                    if (line.length() >= MAX_LINE) {
                        write(out, BrokerProtocol.malformed(broker, caller.get(), null, "request",
                                "is longer than " + MAX_LINE + " characters"));
                        return;
                    }
                    line.append((char) ch);
                    continue;
                }
                if (!line.toString().isBlank()) write(out, answer(line.toString()));
                line.setLength(0);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "broker connection ended: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(c);
        }
    }

    private static void write(OutputStream out, ObjectNode answer) throws IOException {
        out.write((TwinHandler.JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The answer to one request line. */
    ObjectNode answer(String line) throws InterruptedException {
        return BrokerProtocol.answer(broker, caller.get(), line);
    }

    /** Stops listening, ends the connections open and removes the socket's file; returns once the acceptor has ended. */
    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : open) c.close();
        acceptor.interrupt();
        Files.deleteIfExists(path);
        try {
            acceptor.join(BrokerDirectory.STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
