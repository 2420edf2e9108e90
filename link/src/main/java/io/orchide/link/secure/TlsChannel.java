package io.orchide.link.secure;

import io.orchide.link.transport.Channel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A channel of another convergence layer carrying TLS through an {@link SSLEngine}. The handshake runs at the first
 * read or write (on the session's thread, never on an accept loop a silent peer could hold up), so the session's
 * liveness timer bounds it: a cut closes the raw channel and ends a handshake stuck waiting. Reads and writes may run
 * at once on two threads (the engine allows {@code wrap} beside {@code unwrap}); each side has its own lock, and a
 * message the reader must answer (a post-handshake message) is written under the writer's lock.
 */
final class TlsChannel implements Channel {
    private final Channel raw;
    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final Consumer<HandshakeCost> costs;
    private final Object handshakeLock = new Object(), readLock = new Object(), writeLock = new Object();
    private volatile boolean handshaken;
    private ByteBuffer netIn, appIn, netOut;
    private long rawRead, rawWritten;
    private final InputStream in = new In();
    private final OutputStream out = new Out();

    TlsChannel(Channel raw, SSLEngine engine, Consumer<HandshakeCost> costs) {
        this.raw = raw;
        this.engine = engine;
        this.rawIn = raw.input();
        this.rawOut = raw.output();
        this.costs = costs;
        int packet = engine.getSession().getPacketBufferSize(), app = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(app);
        this.netOut = ByteBuffer.allocate(packet);
    }

    private void handshake() throws IOException {
        if (handshaken) return;
        synchronized (handshakeLock) {
            if (handshaken) return;
            long start = System.nanoTime();
            synchronized (readLock) {
                synchronized (writeLock) {
                    try {
                        exchange();
                    } catch (SSLException e) {
                        tellPeer();
                        throw e;
                    }
                    costs.accept(new HandshakeCost(raw.remote(), rawWritten, rawRead, Duration.ofNanos(System.nanoTime() - start)));
                }
            }
            handshaken = true;
        }
    }

    /** Under both locks: the handshake's messages until it is done. */
    private void exchange() throws IOException {
        engine.beginHandshake();
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != SSLEngineResult.HandshakeStatus.FINISHED && hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
            switch (hs) {
                case NEED_WRAP -> hs = wrap(ByteBuffer.allocate(0));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    rawOut.flush(); // what was wrapped must reach the peer before its answer can come
                    SSLEngineResult r = unwrap();
                    if (r == null) throw new java.io.EOFException("the peer closed the connection during the TLS handshake");
                    hs = r.getHandshakeStatus();
                }
                case NEED_TASK -> hs = runTasks();
                default -> throw new SSLException("unexpected handshake status " + hs);
            }
        }
        rawOut.flush();
    }

    /** After a failed handshake, the alert the engine has for the peer (why it was refused), if it can still go. */
    private void tellPeer() {
        try {
            netOut.clear();
            engine.wrap(ByteBuffer.allocate(0), netOut);
            netOut.flip();
            rawOut.write(netOut.array(), 0, netOut.limit());
            rawOut.flush();
        } catch (IOException | RuntimeException ignored) {
            // the peer learns it from the closed connection instead
        }
    }

    private SSLEngineResult.HandshakeStatus runTasks() {
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) t.run();
        return engine.getHandshakeStatus();
    }

    /** Under writeLock: wraps all of {@code src} and writes the records (not flushed). */
    private SSLEngineResult.HandshakeStatus wrap(ByteBuffer src) throws IOException {
        SSLEngineResult.HandshakeStatus hs;
        do {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                hs = r.getHandshakeStatus();
                continue;
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("the TLS session is closed");
            netOut.flip();
            rawOut.write(netOut.array(), 0, netOut.limit());
            rawWritten += netOut.limit();
            hs = r.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) hs = runTasks();
        } while (src.hasRemaining() || (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP && handshaken));
        return hs;
    }

    /**
     * Under readLock: unwraps one record into appIn, reading from the raw channel as needed; null at the end of the
     * raw stream.
     */
    private SSLEngineResult unwrap() throws IOException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            switch (r.getStatus()) {
                case OK -> {
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
                    return r;
                }
                case BUFFER_OVERFLOW -> {
                    ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
                    appIn.flip();
                    bigger.put(appIn);
                    appIn = bigger;
                }
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() * 2);
                        netIn.flip();
                        bigger.put(netIn);
                        netIn = bigger;
                    }
                    int n = rawIn.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
                    if (n < 0) return null;
                    netIn.position(netIn.position() + n);
                    rawRead += n;
                }
                case CLOSED -> {
                    return null;
                }
            }
        }
    }

    /** The key the peer proved in the handshake (which runs now if it has not yet). */
    @Override
    public PublicKey peerKey() throws IOException {
        handshake();
        try {
            return engine.getSession().getPeerCertificates()[0].getPublicKey();
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** A TLS record carries at most 16 KiB of data, with 22 bytes of header, content type and tag around it. */
    @Override public int writeUnit() { return 16 * 1024; }

    @Override public InputStream input() { return in; }

    @Override public OutputStream output() { return out; }

    @Override public String remote() { return raw.remote(); }

    /** Closes the raw channel at once: a cut, not a TLS close (frames carry their own lengths and checksums). */
    @Override public void close() throws IOException { raw.close(); }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            handshake();
            synchronized (readLock) {
                while (appIn.position() == 0) {
                    SSLEngineResult r = unwrap();
                    if (r == null) return -1;
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        synchronized (writeLock) { // a message to answer (a key update): said at once
                            wrap(ByteBuffer.allocate(0));
                            rawOut.flush();
                        }
                    }
                }
                appIn.flip();
                int n = Math.min(len, appIn.remaining());
                appIn.get(b, off, n);
                appIn.compact();
                return n;
            }
        }

        @Override
        public int available() {
            synchronized (readLock) {
                return appIn.position();
            }
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            handshake();
            synchronized (writeLock) {
                wrap(ByteBuffer.wrap(b, off, len));
            }
        }

        @Override
        public void flush() throws IOException {
            handshake();
            synchronized (writeLock) {
                rawOut.flush();
            }
        }
    }
}
