package io.orchide.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy that forwards to {@link #target} and cuts each connection after a seeded random number of bytes in a
 * random direction (both sockets closed at once). {@link #cutEvery} 0 = never cut.
 */
final class CuttingProxy implements AutoCloseable {
    final ServerSocket server;
    final AtomicReference<String> target;
    private final Random rnd;
    volatile long minCut, maxCut;
    final AtomicInteger cuts = new AtomicInteger(), upCuts = new AtomicInteger(), downCuts = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    private volatile Socket[] current;

    CuttingProxy(String target, long seed, long minCut, long maxCut) throws IOException {
        this.target = new AtomicReference<>(target);
        this.rnd = new Random(seed);
        this.minCut = minCut;
        this.maxCut = maxCut;
        server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    String address() { return "127.0.0.1:" + server.getLocalPort(); }

    /** Cuts the current connection now. */
    void cutNow() {
        Socket[] c = current;
        if (c != null) close(c);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket a = server.accept();
                String[] t = target.get().split(":");
                Socket b;
                try {
                    b = new Socket(t[0], Integer.parseInt(t[1]));
                } catch (IOException e) {
                    a.close();
                    continue;
                }
                connections.incrementAndGet();
                long up, down;
                synchronized (rnd) {
                    // each direction has its own cut point (the far side sends less: acks and fewer bundles)
                    up = maxCut <= 0 ? Long.MAX_VALUE : minCut + (long) (rnd.nextDouble() * (maxCut - minCut));
                    down = maxCut <= 0 ? Long.MAX_VALUE : (minCut + (long) (rnd.nextDouble() * (maxCut - minCut))) / 4;
                }
                Socket[] pair = {a, b};
                current = pair;
                Thread.ofVirtual().start(() -> pump(a, b, up, pair));
                Thread.ofVirtual().start(() -> pump(b, a, down, pair));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long cutAt, Socket[] pair) {
        byte[] buf = new byte[16 * 1024];
        long n = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, Math.max(1, cutAt - n)));
                if (r < 0) break;
                out.write(buf, 0, r);
                n += r;
                if (n >= cutAt) {
                    cuts.incrementAndGet();
                    (from == pair[0] ? upCuts : downCuts).incrementAndGet();
                    break;
                }
            }
        } catch (IOException ignored) {
            // cut
        } finally {
            close(pair);
        }
    }

    private static void close(Socket[] pair) {
        for (Socket s : pair) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutNow();
    }
}
