package io.orchide.twin.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One satellite connection through the emulator: the accepted client socket, the socket dialled to ground, and a
 * {@link Pipe} each way. It ends when both directions have delivered their end of stream, when either side fails,
 * or when it is cut; ending closes both sockets and wakes its threads.
 */
final class Connection implements Pipe.Owner {
    private static final System.Logger LOG = System.getLogger(LinkEmulator.class.getName());
    private static final int DIAL_TIMEOUT_MS = 10_000;

    /** Starts a named thread that the emulator joins when it closes. */
    interface Spawner {
        Thread spawn(String name, Runnable task);
    }

    private final String label;
    private final Socket client;
    private final Lane up;
    private final Lane down;
    private final Supplier<LinkShape> shape;
    private final Spawner spawner;
    private final Consumer<Connection> onEnd;

    // guarded by this
    private Socket upstream;
    private final List<Thread> threads = new ArrayList<>();
    private boolean ended;
    private int pipesDone;

    Connection(String label, Socket client, Lane up, Lane down, Supplier<LinkShape> shape, Spawner spawner,
               Consumer<Connection> onEnd) {
        this.label = label;
        this.client = client;
        this.up = up;
        this.down = down;
        this.shape = shape;
        this.spawner = spawner;
        this.onEnd = onEnd;
    }

    String label() {
        return label;
    }

    /** Dials ground at {@code host:port} and starts both pipes; run on its own thread. */
    void dial(String host, int port) {
        Socket socket = new Socket();
        synchronized (this) {
            if (ended) {
                closeQuietly(socket);
                return;
            }
            upstream = socket; // so that a cut during the dial closes it
        }
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), DIAL_TIMEOUT_MS);
        } catch (IOException e) {
            if (end()) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: ground at {1}:{2} unreachable: {3}", label, host,
                        String.valueOf(port), e.toString());
            }
            return;
        }
        Pipe downPipe = new Pipe(label + "-down", client, socket, down, shape, this);
        Pipe upPipe = new Pipe(label + "-up", socket, client, up, shape, this);
        synchronized (this) {
            if (ended) {
                return;
            }
            for (Pipe pipe : List.of(downPipe, upPipe)) {
                threads.add(spawner.spawn(pipe.name() + "-read", pipe::readLoop));
                threads.add(spawner.spawn(pipe.name() + "-write", pipe::writeLoop));
            }
        }
    }

    @Override
    public void pipeDone(Pipe pipe) {
        boolean both;
        synchronized (this) {
            both = ++pipesDone == 2;
        }
        if (both && end()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: finished", label);
        }
    }

    @Override
    public void pipeFailed(Pipe pipe, Exception cause) {
        if (end()) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: broken in {1}: {2}", label, pipe.name(), cause.toString());
        }
    }

    /**
     * Ends the connection at once: closes both sockets (what is in flight is lost) and wakes its threads.
     *
     * @return true if it was still running, false if it had already ended
     */
    boolean end() {
        List<Thread> toWake;
        Socket dialled;
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            toWake = List.copyOf(threads);
            dialled = upstream;
        }
        closeQuietly(client);
        closeQuietly(dialled);
        Thread self = Thread.currentThread();
        for (Thread t : toWake) {
            if (t != self) {
                t.interrupt();
            }
        }
        onEnd.accept(this);
        return true;
    }

    static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort: the socket is gone either way
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
