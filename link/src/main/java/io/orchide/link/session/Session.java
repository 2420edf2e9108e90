package io.orchide.link.session;

import io.orchide.link.Bundle;
import io.orchide.link.LinkException;
import io.orchide.link.PeerContact;
import io.orchide.link.store.LinkStore;
import io.orchide.link.store.StoreUnavailableException;
import io.orchide.link.transport.Channel;
import io.orchide.link.wire.Frame;
import io.orchide.link.wire.FrameCodec;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One contact with one peer over one channel. After HELLO and STATE both ways, the session's thread reads (and takes
 * custody of incoming segments, queueing ACKs), and a writer thread sends: control frames first, then segments of
 * the first queued bundle in priority order that still has bytes to send, within the window of unacknowledged bytes
 * and the rate limit.
 */
final class Session {
    private static final System.Logger LOG = Core.LOG;

    final Core core;
    private final Channel ch;
    private final boolean dialer;
    private final RateLimiter limiter;
    /** Bytes written per piece under a rate limit, so that a large frame trickles out instead of waiting in one go. */
    private final int pace;
    private final Liveness liveness;
    /** Set when the session was ended for its peer's silence. */
    private volatile boolean silent;
    String peer = "?";
    private volatile boolean running = true;
    private volatile String cutReason;
    /** Set once both sides exchanged HELLO and STATE: the session began (a refused one never does). */
    private volatile boolean established;
    /** Why the peer refused the session, when it did. */
    private volatile String refusal;
    private Runnable onEstablished = () -> { };
    private final CountDownLatch ended = new CountDownLatch(1);
    private Counters counters;
    private long readBytes;             // reader thread only: bytes read since the last frame was counted

    // sender state, under core.lock
    private static final class Progress {
        long sent, acked;
        boolean headerSent;
        int gen, restarts;
    }

    private final Map<String, Progress> progress = new HashMap<>();
    private final Map<String, Long> resume = new HashMap<>();
    private final ArrayDeque<Frame> control = new ArrayDeque<>();
    private final Map<String, Frame.Ack> pendingAcks = new java.util.LinkedHashMap<>();
    /** The receiving side, reader thread only. */
    private final Receiver receiver;

    Session(Core core, Channel ch, boolean dialer) {
        this.core = core;
        this.ch = ch;
        this.dialer = dialer;
        long rate = core.cfg.rateBytesPerSecond();
        this.limiter = new RateLimiter(rate, Math.max(core.cfg.segmentBytes() + 512L, rate / 50));
        // a layer that frames each write (a TLS record: 22 bytes more) gets pieces of a whole unit where the rate
        // allows one within a quarter of the keepalive interval, so the peer still hears from us well before it
        // would take the silence for death
        long unit = Math.min(ch.writeUnit(), rate * core.cfg.keepalive().toMillis() / 4000);
        this.pace = rate <= 0 ? Integer.MAX_VALUE : (int) Math.min(64 * 1024, Math.max(Math.max(512, rate / 10), unit));
        this.liveness = new Liveness(core.wireClock, core.cfg.keepalive(), core.cfg.idleTimeout());
        this.receiver = new Receiver(this);
    }

    /** Runs {@code r} once the session is established (the dialler shows the address it is connected to). */
    void onEstablished(Runnable r) {
        this.onEstablished = r;
    }

    boolean established() { return established; }

    /** This peer's counters once the session is attached, else null. */
    Counters counters() { return counters; }

    /** Whether the session was ended because its peer fell silent (frozen, unplugged, dropped by a NAT). */
    boolean endedSilent() { return silent; }

    /**
     * Ends the session when its peer is gone without closing it: nothing at all received for the idle timeout from a
     * peer that keeps sessions alive, or no HELLO and STATE within it (any version answers those at once). The cut
     * closes the channel, which ends the reader and the writer however they are blocked. Called on the liveness timer.
     */
    void checkLiveness() {
        if (!running) return;
        boolean handshake = !established;
        if (handshake ? liveness.silence().compareTo(liveness.idleTimeout()) < 0 : !liveness.dead()) return;
        String timeout = seconds(liveness.idleTimeout());
        String reason = handshake
                ? "dead: no answer from " + peerName() + " within the idle timeout of " + timeout + " while opening the session"
                : "dead: nothing received from " + peer + " for " + seconds(liveness.silence()) + " (idle timeout " + timeout + ")";
        LOG.log(System.Logger.Level.WARNING, "link: session with {0} ({1}) is {2}; ending it", peerName(), ch.remote(),
                reason);
        silent = true;
        cut(reason);
    }

    private String peerName() {
        return "?".equals(peer) ? "the peer at " + ch.remote() : peer;
    }

    private static String seconds(java.time.Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Why the session ended or never began: the peer's refusal, the reason it was cut, or null if neither is known. */
    String endReason() {
        return refusal != null ? "refused: " + refusal : cutReason;
    }

    void cut(String reason) {
        if (cutReason == null) cutReason = reason;
        running = false;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing
        }
        core.lock.lock();
        try {
            core.changed.signalAll();
        } finally {
            core.lock.unlock();
        }
    }

    void awaitEnd(long millis) {
        try {
            ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeNow(Frame f) throws IOException, InterruptedException {
        write(core.codec.encode(f));
    }

    private void write(byte[] b) throws IOException, InterruptedException {
        OutputStream out = ch.output();
        // in pieces the rate allows a tenth of a second at a time: the peer hears from us steadily while a large
        // segment goes out over a thin link, rather than nothing for as long as the whole frame's wait
        for (int off = 0; off < b.length; ) {
            int n = Math.min(pace, b.length - off);
            limiter.acquire(n);
            out.write(b, off, n);
            out.flush();
            liveness.sent();
            off += n;
        }
        if (counters != null) counters.sent.addAndGet(b.length);
    }

    void run() {
        boolean attached = false;
        PeerContact contact = null;
        Thread writer = null;
        try {
            DataInputStream in = new DataInputStream(new java.io.FilterInputStream(ch.input()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        readBytes++;
                        liveness.received();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) {
                        readBytes += n;
                        liveness.received();
                    }
                    return n;
                }
            });
            if (!running) return;
            Frame.Hello hello = new Frame.Hello(FrameCodec.VERSION, core.cfg.localName(), core.info());
            // the listener says nothing, not even its HELLO, to a peer before it judged who that peer is
            if (dialer) writeNow(hello);
            Frame f = core.codec.read(in);
            if (f instanceof Frame.Reject r) {
                refused(r.reason());
                return;
            }
            if (!(f instanceof Frame.Hello h)) throw new LinkException("frame.type", f.getClass().getSimpleName(), "is not the HELLO a session starts with");
            peer = h.name();
            if (peer.equals(core.cfg.localName())) throw new LinkException("hello.name", peer, "is this endpoint's own name");
            if (!trusted()) return;
            if (!dialer) writeNow(hello);
            String refusal = core.attach(this);
            if (refusal != null) {
                // refusals for the store's outage are many (each peer redials) and the outage is reported once elsewhere
                boolean outage = refusal.equals(Core.STORE_UNAVAILABLE);
                LOG.log(outage ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                        "link: refusing session with {0} ({1}): {2}", peer, ch.remote(), refusal);
                if (!outage) Core.safe(() -> core.events.rejected(peer, "", refusal));
                try {
                    writeNow(new Frame.Reject("", true, refusal));
                } catch (IOException ignored) {
                    // refused anyway
                }
                return;
            }
            attached = true;
            counters = core.counters(peer);
            long[] q = core.queueSize(peer);
            List<Frame.Held> held = core.store.partials(peer);
            if (held.size() > FrameCodec.MAX_RESUME) held = held.subList(0, FrameCodec.MAX_RESUME);
            // STATE and a keepalive in one write: the keepalive tells the peer this side keeps the session alive (its
            // silence may be taken for death from now on), and a side frozen right after its STATE must not leave the
            // peer established yet never told
            byte[] state = core.codec.encode(new Frame.State(q[0], q[1], held));
            byte[] keepalive = core.codec.encode(new Frame.Keepalive());
            byte[] both = java.util.Arrays.copyOf(state, state.length + keepalive.length);
            System.arraycopy(keepalive, 0, both, state.length, keepalive.length);
            write(both);
            f = core.codec.read(in);
            if (f instanceof Frame.Reject r) {
                refused(r.reason());
                return;
            }
            if (!(f instanceof Frame.State st)) throw new LinkException("frame.type", f.getClass().getSimpleName(), "is not the STATE that follows HELLO");
            core.lock.lock();
            try {
                for (Frame.Held x : st.resume()) resume.put(x.id(), x.bytes());
            } finally {
                core.lock.unlock();
            }
            contact = new PeerContact(peer, h.info(), st.queuedBundles(), st.queuedBytes(), core.now());
            PeerContact c0 = contact;
            established = true;
            onEstablished.run();
            LOG.log(System.Logger.Level.DEBUG, "link: session with {0} ({1}) open", peer, ch.remote());
            Core.safe(() -> core.events.contactOpened(c0));
            writer = Thread.ofVirtual().name("link-send-" + peer).start(this::sendLoop);
            while (running) {
                Frame fr = core.codec.read(in);
                counters.received.addAndGet(readBytes);
                readBytes = 0;
                handle(fr);
            }
        } catch (LinkException e) {
            String reason = e.getMessage();
            if (cutReason == null) cutReason = reason;
            LOG.log(System.Logger.Level.WARNING, "link: closing session with {0} ({1}): {2}", peer, ch.remote(), reason);
            Core.safe(() -> core.events.rejected(peer, "", reason));
            try {
                if (running) writeControl(new Frame.Reject("", true, reason));
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        } catch (EOFException e) {
            if (cutReason == null) cutReason = "ended by the peer";
            LOG.log(System.Logger.Level.DEBUG, "link: session with {0} ended by the peer", peer);
        } catch (javax.net.ssl.SSLException e) {
            // the secure layer's handshake: the peer's key is not trusted, or it does not speak TLS at all
            String reason = "TLS handshake with " + ch.remote() + " failed: " + rootMessage(e);
            if (cutReason == null) cutReason = reason;
            if (!established && running) {
                LOG.log(System.Logger.Level.WARNING, "link: " + reason);
                Core.safe(() -> core.trust.handshakeFailed(ch.remote(), rootMessage(e)));
            }
        } catch (IOException e) {
            if (cutReason == null) cutReason = e.toString();
            LOG.log(System.Logger.Level.DEBUG, "link: session with {0} cut: {1}", peer, cutReason != null ? cutReason : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (StoreUnavailableException.isCause(e)) {
                // custody cannot be taken nor progress recorded: the peer is told, so that it moves on
                LOG.log(System.Logger.Level.DEBUG, "link: dropping session with {0}: {1}", peer, e);
                if (cutReason == null) cutReason = Core.STORE_UNAVAILABLE;
                Frame.Reject bye = new Frame.Reject("", true, Core.STORE_UNAVAILABLE);
                if (writer != null) {
                    if (running) writeControl(bye);
                } else {
                    try {
                        writeNow(bye);
                    } catch (IOException | InterruptedException ignored) {
                        // the peer is gone too
                    }
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "link: session with " + peer + " failed", e);
            }
        } finally {
            if (writer != null) {
                // let a queued REJECT go out before the cut
                core.lock.lock();
                try {
                    running = false;
                    core.changed.signalAll();
                } finally {
                    core.lock.unlock();
                }
                try {
                    writer.join(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            cut(cutReason == null ? "session ended" : cutReason);
            if (writer != null) {
                try {
                    writer.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (attached) persistAcked();
            core.detach(this, attached, contact);
            ended.countDown();
        }
    }


    /**
     * Asks the endpoint's {@link io.orchide.link.PeerTrust} about the peer that just named itself, with the key its
     * layer proved; a refused peer is told why and the session ends before anything else is said or taken.
     */
    private boolean trusted() throws IOException, InterruptedException {
        String distrust;
        try {
            distrust = core.trust.check(peer, ch.remote(), ch.peerKey());
        } catch (RuntimeException e) {
            distrust = "its key could not be checked: " + e.getMessage();
        }
        if (distrust == null) return true;
        String reason = distrust;
        cutReason = "untrusted: " + reason;
        LOG.log(System.Logger.Level.WARNING, "link: refusing session with {0} ({1}): {2}", peer, ch.remote(), reason);
        Core.safe(() -> core.events.rejected(peer, "", reason));
        try {
            writeNow(new Frame.Reject("", true, reason));
        } catch (IOException ignored) {
            // refused anyway
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private void refused(String reason) {
        refusal = reason;
        // an endpoint whose store is down refuses every redial: said at DEBUG, or it would be a line a second
        LOG.log(reason.equals(Core.STORE_UNAVAILABLE) ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                "link: session refused by {0} ({1}): {2}", peer, ch.remote(), reason);
        Core.safe(() -> core.events.rejected(peer, "", reason));
    }

    private void persistAcked() {
        Map<String, Long> acked = new HashMap<>();
        core.lock.lock();
        try {
            progress.forEach((id, p) -> { if (p.acked > 0) acked.put(id, p.acked); });
        } finally {
            core.lock.unlock();
        }
        try {
            acked.forEach(core.store::setAcked);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "link: could not record acked offsets: " + e);
        }
    }

    // ------------------------------------------------------------------------------------------------ receiving

    private void handle(Frame f) {
        switch (f) {
            case Frame.BundleStart bs -> receiver.onBundle(bs);
            case Frame.Segment s -> receiver.onSegment(s);
            case Frame.Ack a -> onAck(a);
            case Frame.Reject r -> onReject(r);
            case Frame.Keepalive k -> liveness.peerKeepsAlive();
            case Frame.Hello h -> throw new LinkException("frame.type", "HELLO", "is only allowed at the start of a session");
            case Frame.State s -> throw new LinkException("frame.type", "STATE", "is only allowed at the start of a session");
        }
    }

    /** Queues a control frame for the writer (acks to one bundle coalesce). */
    void writeControl(Frame f) {
        core.lock.lock();
        try {
            if (f instanceof Frame.Ack a) {
                pendingAcks.remove(a.id());
                pendingAcks.put(a.id(), a);
            } else {
                control.add(f);
            }
            core.changed.signalAll();
        } finally {
            core.lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ sender side

    private Progress progress(Bundle b) {
        return progress.computeIfAbsent(b.id(), id -> {
            Progress p = new Progress();
            p.sent = p.acked = Math.min(b.size(), resume.getOrDefault(id, 0L));
            return p;
        });
    }

    private void onAck(Frame.Ack a) {
        Core.Out out;
        core.lock.lock();
        try {
            Progress p = progress.get(a.id());
            if (p == null) return;
            p.acked = Math.max(p.acked, a.held());
            if (p.sent < p.acked) p.sent = p.acked;
            out = a.complete() ? findOut(a.id()) : null;
            if (a.complete()) progress.remove(a.id());
            core.changed.signalAll();
        } finally {
            core.lock.unlock();
        }
        if (out != null && core.finish(out.bundle(), LinkStore.ACKED, out.bundle().size())) {
            if (counters != null) counters.bundlesSent.incrementAndGet();
            Core.safe(() -> core.events.acknowledged(out.bundle()));
        }
    }

    private Core.Out findOut(String id) {
        var q = core.queues.get(peer);
        if (q == null) return null;
        for (Core.Out o : q) if (o.bundle().id().equals(id)) return o;
        return null;
    }

    private void onReject(Frame.Reject r) {
        if (r.id().isEmpty()) {
            refused(r.reason());
            cut("refused by peer: " + r.reason());
            return;
        }
        Core.Out out;
        boolean permanent = r.permanent();
        core.lock.lock();
        try {
            out = findOut(r.id());
            Progress p = progress.get(r.id());
            if (p != null && !permanent) {
                if (++p.restarts > 3) permanent = true;
                p.sent = p.acked = 0;
                p.headerSent = false;
                p.gen++;
            }
            if (permanent) progress.remove(r.id());
            core.changed.signalAll();
        } finally {
            core.lock.unlock();
        }
        if (out == null) return;
        if (permanent) {
            LOG.log(System.Logger.Level.WARNING, "link: {0} refused bundle {1}: {2}", peer, r.id(), r.reason());
            if (core.finish(out.bundle(), LinkStore.REJECTED, 0)) Core.safe(() -> core.events.rejected(peer, r.id(), r.reason()));
        } else {
            LOG.log(System.Logger.Level.INFO, "link: {0} asks for bundle {1} again: {2}", peer, r.id(), r.reason());
        }
    }

    /** Under core.lock: a keepalive when one is due, else waits until one is or something changes, and null. */
    private Frame keepaliveOrWait() throws InterruptedException {
        long wait = liveness.untilKeepalive().toNanos();
        if (wait <= 0) return new Frame.Keepalive();
        core.changed.awaitNanos(wait);
        return null;
    }

    private void sendLoop() {
        try {
            while (true) {
                Frame ctl = null;
                Core.Out next = null;
                long offset = 0;
                boolean header = false;
                int gen = 0;
                core.lock.lock();
                try {
                    while (true) {
                        if (!running) {
                            // flush what the reader queued last (a REJECT before a cut), then stop
                            ctl = control.poll();
                            if (ctl == null) return;
                            break;
                        }
                        ctl = control.poll();
                        if (ctl == null && !pendingAcks.isEmpty()) {
                            var it = pendingAcks.values().iterator();
                            ctl = it.next();
                            it.remove();
                        }
                        if (ctl != null) break;
                        if (!core.contactOpen()) {
                            if ((ctl = keepaliveOrWait()) != null) break;
                            continue;
                        }
                        long inflight = 0;
                        for (Progress p : progress.values()) inflight += p.sent - p.acked;
                        var q = core.queues.get(peer);
                        if (q != null && inflight < Core.WINDOW) {
                            for (Core.Out o : q) {
                                Progress p = progress(o.bundle());
                                if (!p.headerSent || p.sent < o.bundle().size()) {
                                    next = o;
                                    offset = p.sent;
                                    header = !p.headerSent;
                                    gen = p.gen;
                                    break;
                                }
                            }
                        }
                        if (next != null) break;
                        if ((ctl = keepaliveOrWait()) != null) break;
                    }
                } finally {
                    core.lock.unlock();
                }
                if (ctl != null) {
                    writeNow(ctl);
                    continue;
                }
                Bundle b = next.bundle();
                if (b.expiredAt(core.now())) {
                    core.expire(b);
                    continue;
                }
                if (header) writeNow(new Frame.BundleStart(b, offset));
                long newSent = offset;
                if (offset < b.size()) {
                    byte[] data = core.store.readOut(b.id(), offset);
                    if (data.length == 0) {
                        if (core.store.outState(b.id()) == null || !LinkStore.QUEUED.equals(core.store.outState(b.id()))) continue;
                        throw new IllegalStateException("payload of " + b.id() + " missing at offset " + offset);
                    }
                    int max = Math.min(core.codec.maxSegment(), Math.max(1, core.cfg.segmentBytes()));
                    if (data.length > max) data = java.util.Arrays.copyOf(data, max);
                    if (offset + data.length > b.size()) data = java.util.Arrays.copyOf(data, (int) (b.size() - offset));
                    writeNow(new Frame.Segment(b.id(), offset, data));
                    newSent = offset + data.length;
                }
                core.lock.lock();
                try {
                    Progress p = progress.get(b.id());
                    if (p != null && p.gen == gen) {
                        if (header) p.headerSent = true;
                        if (newSent > p.sent) p.sent = newSent;
                    }
                } finally {
                    core.lock.unlock();
                }
            }
        } catch (IOException e) {
            cut(cutReason != null ? cutReason : "write failed: " + e.getMessage());
        } catch (InterruptedException e) {
            cut("interrupted");
        } catch (RuntimeException e) {
            if (StoreUnavailableException.isCause(e)) {
                LOG.log(System.Logger.Level.DEBUG, "link: sender to {0} stopped: {1}", peer, e);
                cut(Core.STORE_UNAVAILABLE);
            } else {
                LOG.log(System.Logger.Level.WARNING, "link: sender to " + peer + " failed", e);
                cut("sender failed: " + e);
            }
        }
    }
}
