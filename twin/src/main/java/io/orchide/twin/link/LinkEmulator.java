package io.orchide.twin.link;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The radio between one satellite's node and ground, as a TCP relay: the node dials {@link #address()} instead of
 * ground's link address, and the emulator forwards each connection to ground ({@code upstream}) while a contact is
 * open, shaped by a {@link LinkShape} in the simulated time of its clock.
 *
 * <p>It starts closed. {@link #open(LinkShape)} begins a contact (or changes the shape of the current one, as in a
 * hand-over); {@link #close(String)} ends it and cuts every connection at once, losing what was in flight, as a
 * satellite going out of view does. While closed, connections are accepted and closed at once. Both directions are
 * rate-limited by one token bucket each, shared by all connections; each chunk is held for the propagation delay;
 * each lost frame costs a retransmission timeout and its time on the radio again. Nothing is lost or reordered while
 * the contact is open.
 *
 * <p>All methods are thread-safe. {@link #close()} stops listening, cuts everything and joins its threads.
 */
public final class LinkEmulator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LinkEmulator.class.getName());
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

    private final String name;
    private final ServerSocket server;
    private final String upstreamHost;
    private final int upstreamPort;
    private final Lane up;
    private final Lane down;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();

    private final Object lock = new Object();
    // written under lock
    private volatile boolean open;
    private volatile boolean shutDown;
    private volatile LinkShape shape = LinkShape.UNLIMITED;
    private final Set<Connection> live = new HashSet<>();

    private final Thread acceptor;

    private LinkEmulator(String name, ServerSocket server, HostPort upstream, Clock clock, long seed) {
        this.name = name;
        this.server = server;
        this.upstreamHost = upstream.host();
        this.upstreamPort = upstream.port();
        SimTime time = new SimTime(clock);
        this.up = new Lane(Lane.Direction.UP, time, seed);
        this.down = new Lane(Lane.Direction.DOWN, time, seed);
        this.acceptor = spawn("link-" + name + "-accept", this::acceptLoop);
    }

    /**
     * Listens on {@code listen} ({@code host:port}, port 0 picks a free one) and forwards to {@code upstream}
     * ({@code host:port}). The emulator starts closed.
     *
     * @param clock simulated time: rates, delay and retransmission timeouts are in this clock's time
     * @param seed  seeds the loss draws
     * @throws IllegalArgumentException naming the parameter and value when an address is malformed
     * @throws IOException              when {@code listen} cannot be bound
     */
    public static LinkEmulator start(String name, String listen, String upstream, Clock clock, long seed)
            throws IOException {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: must not be blank (got " + name + ")");
        }
        Objects.requireNonNull(clock, "clock");
        HostPort bind = HostPort.parse("listen", listen, 0);
        HostPort target = HostPort.parse("upstream", upstream, 1);
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bind.host(), bind.port()), 64);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LinkEmulator emulator = new LinkEmulator(name, server, target, clock, seed);
        LOG.log(System.Logger.Level.DEBUG, "link {0}: listening on {1}, ground at {2}", name, emulator.address(),
                upstream);
        return emulator;
    }

    public String name() {
        return name;
    }

    /** The bound {@code host:port} for a node's {@code --ground}. */
    public String address() {
        InetAddress address = server.getInetAddress();
        String host = address.getHostAddress();
        if (address instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return host + ":" + server.getLocalPort();
    }

    /**
     * A contact begins with {@code shape}, or the current contact takes {@code shape} (a hand-over to another
     * station): connections are accepted and forwarded. A new contact starts with full token buckets.
     *
     * @throws IllegalStateException once the emulator is closed
     */
    public void open(LinkShape shape) {
        Objects.requireNonNull(shape, "shape");
        boolean began;
        synchronized (lock) {
            if (shutDown) {
                throw new IllegalStateException("link " + name + " is closed");
            }
            began = !open;
            if (began) {
                up.reset();
                down.reset();
            }
            this.shape = shape;
            open = true;
        }
        LOG.log(System.Logger.Level.DEBUG, "link {0}: {1} {2}", name, began ? "contact begins" : "shape changes",
                shape);
    }

    /** The contact ends: every connection is cut at once and new ones are dropped until the next open. Idempotent. */
    public void close(String reason) {
        List<Connection> toCut;
        synchronized (lock) {
            if (!open) {
                return;
            }
            open = false;
            toCut = new ArrayList<>(live);
        }
        long cut = 0;
        for (Connection connection : toCut) {
            if (connection.end()) {
                cut++;
                LOG.log(System.Logger.Level.DEBUG, "link {0}: {1} cut ({2})", name, connection, reason);
            }
        }
        cuts.addAndGet(cut);
        LOG.log(System.Logger.Level.DEBUG, "link {0}: contact ends ({1}), {2} connection(s) cut", name, reason, cut);
    }

    public boolean isOpen() {
        return open;
    }

    /** The shape of the open contact; empty while closed. */
    public Optional<LinkShape> shape() {
        synchronized (lock) {
            return open ? Optional.of(shape) : Optional.empty();
        }
    }

    public LinkCounters counters() {
        return new LinkCounters(up.bytesDelivered(), down.bytesDelivered(), up.framesLost() + down.framesLost(),
                connections.get(), refused.get(), cuts.get());
    }

    /** Stops listening, cuts every connection and waits for the emulator's threads to end. */
    @Override
    public void close() {
        synchronized (lock) {
            shutDown = true;
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "link {0}: closing the listener: {1}", name, e.toString());
        }
        close("emulator closed");
        joinAll();
    }

    @Override
    public String toString() {
        return "LinkEmulator[" + name + " " + address() + " -> " + upstreamHost + ":" + upstreamPort
                + (open ? " open " + shape : " closed") + "]";
    }

    private void acceptLoop() {
        while (!shutDown) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (shutDown) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "link {0}: accept failed: {1}", name, e.toString());
                try {
                    Thread.sleep(ACCEPT_RETRY);
                } catch (InterruptedException interrupted) {
                    return;
                }
                continue;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        Connection connection = null;
        synchronized (lock) {
            if (open && !shutDown) {
                long id = connections.incrementAndGet();
                connection = new Connection("link-" + name + "-" + id, socket, up, down, () -> shape, this::spawn,
                        this::forget);
                live.add(connection);
            } else {
                refused.incrementAndGet();
            }
        }
        if (connection == null) {
            Connection.closeQuietly(socket);
            LOG.log(System.Logger.Level.DEBUG, "link {0}: connection from {1} refused (no contact)", name,
                    socket.getRemoteSocketAddress());
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "link {0}: {1} accepted from {2}", name, connection,
                socket.getRemoteSocketAddress());
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            connection.end();
            return;
        }
        Connection dialling = connection;
        spawn(connection.label() + "-dial", () -> dialling.dial(upstreamHost, upstreamPort));
    }

    private void forget(Connection connection) {
        synchronized (lock) {
            live.remove(connection);
        }
    }

    private Thread spawn(String threadName, Runnable task) {
        Thread thread = Thread.ofVirtual().name(threadName).unstarted(() -> {
            try {
                task.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(thread);
        thread.start();
        return thread;
    }

    private void joinAll() {
        try {
            acceptor.join(JOIN_TIMEOUT);
            while (!threads.isEmpty()) {
                for (Thread thread : List.copyOf(threads)) {
                    if (!thread.join(JOIN_TIMEOUT)) {
                        LOG.log(System.Logger.Level.WARNING, "link {0}: thread {1} did not end", name,
                                thread.getName());
                        threads.remove(thread);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A parsed {@code host:port}; the host may be a bracketed IPv6 literal. */
    record HostPort(String host, int port) {
        static HostPort parse(String field, String text, int minPort) {
            if (text == null) {
                throw new IllegalArgumentException(field + ": must be host:port (got null)");
            }
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException(field + ": must be host:port (got " + text + ")");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + ": port must be a number (got " + text + ")");
            }
            if (host.isBlank() || port < minPort || port > 65_535) {
                throw new IllegalArgumentException(
                        field + ": must be host:port with port in [" + minPort + ", 65535] (got " + text + ")");
            }
            return new HostPort(host, port);
        }
    }
}
