package io.orchide.link.session;

import io.orchide.link.Bundle;
import io.orchide.link.Deliveries;
import io.orchide.link.DialStatus;
import io.orchide.link.LinkAddresses;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEvents;
import io.orchide.link.LinkException;
import io.orchide.link.LinkStats;
import io.orchide.link.Outgoing;
import io.orchide.link.PayloadSource;
import io.orchide.link.PeerContact;
import io.orchide.link.PeerTrust;
import io.orchide.link.store.LinkStore;
import io.orchide.link.store.StoreUnavailableException;
import io.orchide.link.transport.Acceptor;
import io.orchide.link.transport.Channel;
import io.orchide.link.transport.ConvergenceLayer;
import io.orchide.link.wire.FrameCodec;
import io.orchide.link.wire.Validate;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind a {@link io.orchide.link.LinkEndpoint}: the in-memory index of the durable outgoing queue, the
 * sessions and the housekeeping timer; the leases ({@link Leases}) and deliveries ({@link DeliveryLoop}) beside it.
 */
public final class Core implements AutoCloseable {
    static final System.Logger LOG = System.getLogger("io.orchide.link");
    /** Unacknowledged payload bytes a session keeps in flight at most. */
    public static final long WINDOW = Long.getLong("orchide.link.window", 4L * 1024 * 1024);
    /** A dialler's pause after failed rounds doubles from the retry delay up to this many times it. */
    static final int MAX_PAUSE_FACTOR = 4;

    /** A queued bundle in the in-memory index. */
    record Out(Bundle bundle, long seq) { }

    static final Comparator<Out> ORDER = Comparator.<Out>comparingInt(o -> -o.bundle().priority())
            .thenComparing(o -> o.bundle().created()).thenComparingLong(Out::seq);

    final LinkConfig cfg;
    /** What this endpoint introduces itself with in the next hello: {@code cfg.info()} until {@link #introduce}. */
    private volatile String info;
    final LinkStore store;
    final ConvergenceLayer transport;
    final Deliveries deliveries;
    final LinkEvents events;
    final FrameCodec codec;
    /** Who may have a session, judged after the peer's HELLO. */
    final PeerTrust trust;
    /**
     * The clock of the sessions' liveness: real time, whatever {@code cfg.clock()} is, since a simulated clock running
     * faster must not make a real socket's silence look longer than it is.
     */
    final java.time.Clock wireClock;

    final ReentrantLock lock = new ReentrantLock();
    /** Signalled on anything a sender may wait for: a queued bundle, an ack, a control frame, the contact, closing. */
    final Condition changed = lock.newCondition();
    final Map<String, TreeSet<Out>> queues = new HashMap<>();
    private final Map<String, Out> byId = new HashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final Set<Session> all = ConcurrentHashMap.newKeySet();
    final Leases leases;
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final List<Acceptor> acceptors = new CopyOnWriteArrayList<>();
    private final List<Dialer> dialers = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicLong seq;
    final AtomicLong doneSeq;
    private final Housekeeping housekeeping;
    final DeliveryLoop delivery;
    private boolean contactOpen = true;
    volatile boolean closed;
    /** The refusal a peer gets while the store's database cannot be reached. */
    static final String STORE_UNAVAILABLE = "the store is unavailable (its database cannot be reached); try another endpoint";

    public Core(LinkConfig cfg, LinkStore store, ConvergenceLayer transport, Deliveries deliveries, LinkEvents events,
                PeerTrust trust) {
        this(cfg, store, transport, deliveries, events, trust, java.time.Clock.systemUTC());
    }

    Core(LinkConfig cfg, LinkStore store, ConvergenceLayer transport, Deliveries deliveries, LinkEvents events,
         PeerTrust trust, java.time.Clock wireClock) {
        this.wireClock = wireClock;
        this.trust = trust == null ? PeerTrust.ANY_PEER_UNAUTHENTICATED : trust;
        Validate.name("localName", cfg.localName());
        if (cfg.segmentBytes() > new FrameCodec(cfg.maxBundleBytes()).maxSegment())
            throw new LinkException("segmentBytes", cfg.segmentBytes(), "is larger than a frame may carry ("
                    + new FrameCodec(cfg.maxBundleBytes()).maxSegment() + ")");
        this.cfg = cfg;
        this.info = cfg.info();
        this.store = store;
        this.transport = transport;
        this.deliveries = deliveries;
        this.events = events == null ? LinkEvents.NONE : events;
        this.codec = new FrameCodec(cfg.maxBundleBytes());
        this.leases = new Leases(store, cfg);
        this.seq = new AtomicLong(store.maxSeq());
        this.doneSeq = new AtomicLong(store.maxDoneSeq());
        for (LinkStore.OutRow r : store.queued()) {
            Out o = new Out(r.bundle(), r.seq());
            queues.computeIfAbsent(r.bundle().destination(), k -> new TreeSet<>(ORDER)).add(o);
            byId.put(r.bundle().id(), o);
        }
        this.delivery = new DeliveryLoop(cfg, store, deliveries, this.events, leases);
        this.housekeeping = new Housekeeping(this);
        housekeeping.start();
    }

    String info() { return info; }

    public void introduce(String info) { this.info = info == null ? "{}" : info; }

    Instant now() { return cfg.clock().instant(); }

    Counters counters(String peer) { return counters.computeIfAbsent(peer, k -> new Counters()); }

    // ------------------------------------------------------------------------------------------------ sending

    public Bundle send(Outgoing o) {
        if (o == null) throw new LinkException("bundle", null, "is missing");
        if (o.payload() == null) throw new LinkException("payload", null, "is missing");
        if (o.payload().length > cfg.maxBundleBytes())
            throw new LinkException("payload", o.payload().length + " bytes", "exceeds maxBundleBytes " + cfg.maxBundleBytes());
        return send(UUID.randomUUID().toString(), o.destination(), o.kind(), o.priority(), o.lifetime(),
                PayloadSource.of(o.payload()), false);
    }

    /** Like {@link #send(Outgoing)} under the caller's id; idempotent: a stored id returns that bundle, queues nothing. */
    public Bundle send(String id, Outgoing o) {
        if (o == null) throw new LinkException("bundle", null, "is missing");
        if (o.payload() == null) throw new LinkException("payload", null, "is missing");
        if (o.payload().length > cfg.maxBundleBytes())
            throw new LinkException("payload", o.payload().length + " bytes", "exceeds maxBundleBytes " + cfg.maxBundleBytes());
        return send(id, o.destination(), o.kind(), o.priority(), o.lifetime(), PayloadSource.of(o.payload()));
    }

    /**
     * Queues a payload read as a stream (hashed in one pass, stored in another, a segment at a time), idempotently
     * under {@code id}. Its size is not bound by this side's {@code maxBundleBytes} (which bounds what this side
     * accepts); the receiver's bound applies.
     */
    public Bundle send(String id, String destination, String kind, int priority, java.time.Duration lifetime,
                       PayloadSource payload) {
        Validate.id("id", id);
        lock.lock();
        try {
            Out known = byId.get(id);
            if (known != null) return known.bundle();
        } finally {
            lock.unlock();
        }
        return send(id, destination, kind, priority, lifetime, payload, true);
    }

    private Bundle send(String id, String destination, String kind, int priority, java.time.Duration lifetime,
                        PayloadSource payload, boolean idempotent) {
        if (closed) throw new IllegalStateException("link endpoint is closed");
        Validate.name("destination", destination);
        Validate.kind(kind);
        Validate.priority(priority);
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero())
            throw new LinkException("lifetime", lifetime, "must be positive");
        if (payload == null) throw new LinkException("payload", null, "is missing");
        String checksum = PayloadChecksum.of(payload, id);
        Bundle b = new Bundle(id, cfg.localName(), destination, kind, priority, now(), lifetime, payload.size(), checksum);
        long s = seq.incrementAndGet();
        if (idempotent) {
            Bundle prior = store.enqueueIfAbsent(b, s, payload, cfg.segmentBytes());
            if (prior != null) return prior;
        } else {
            try (java.io.InputStream in = payload.open()) {
                store.enqueue(b, s, in, cfg.segmentBytes());
            } catch (java.io.IOException e) {
                throw new LinkException("payload", id, "cannot be read: " + e.getMessage());
            }
        }
        lock.lock();
        try {
            Out out = new Out(b, s);
            queues.computeIfAbsent(b.destination(), k -> new TreeSet<>(ORDER)).add(out);
            byId.put(b.id(), out);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return b;
    }

    public List<Bundle> queued(String peer) {
        lock.lock();
        try {
            TreeSet<Out> q = queues.get(peer);
            return q == null ? List.of() : q.stream().map(Out::bundle).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Leaves the outgoing queue in {@code state}; true (and the caller reports it) only the first time. */
    boolean finish(Bundle b, String state, long acked) {
        lock.lock();
        try {
            Out o = byId.remove(b.id());
            if (o == null) return false;
            TreeSet<Out> q = queues.get(b.destination());
            if (q != null) q.remove(o);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        store.finishOut(b.id(), state, acked);
        return true;
    }

    void expire(Bundle b) {
        if (finish(b, LinkStore.EXPIRED, 0)) {
            LOG.log(System.Logger.Level.INFO, "link: bundle {0} to {1} expired unsent", b.id(), b.destination());
            safe(() -> events.expired(b));
        }
    }

    /**
     * On a store shared with other processes (ground replicas on one PostgreSQL), the queue in memory follows the
     * store: bundles another replica queued are added, and those another replica finished are dropped.
     */
    void resyncShared() {
        List<LinkStore.OutRow> rows = store.queued();
        Set<String> queuedIds = new java.util.HashSet<>();
        List<Out> gone = new ArrayList<>();
        lock.lock();
        try {
            boolean added = false;
            for (LinkStore.OutRow r : rows) {
                queuedIds.add(r.bundle().id());
                if (byId.containsKey(r.bundle().id())) continue;
                Out o = new Out(r.bundle(), r.seq());
                queues.computeIfAbsent(r.bundle().destination(), k -> new TreeSet<>(ORDER)).add(o);
                byId.put(r.bundle().id(), o);
                added = true;
            }
            for (Out o : byId.values()) if (!queuedIds.contains(o.bundle().id())) gone.add(o);
            if (added) changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Out o : gone) { // queued here after the read above, or finished elsewhere: the store says which
            if (LinkStore.QUEUED.equals(store.outState(o.bundle().id()))) continue;
            lock.lock();
            try {
                byId.remove(o.bundle().id());
                TreeSet<Out> q = queues.get(o.bundle().destination());
                if (q != null) q.remove(o);
            } finally {
                lock.unlock();
            }
        }
    }

    /** The queued bundles whose lifetime ended by {@code now}. */
    List<Bundle> expiredBy(Instant now) {
        List<Bundle> dead = new ArrayList<>();
        lock.lock();
        try {
            for (Out o : byId.values()) if (o.bundle().expiredAt(now)) dead.add(o.bundle());
        } finally {
            lock.unlock();
        }
        return dead;
    }

    /** The sessions attached now (one per peer). */
    List<Session> attached() {
        lock.lock();
        try {
            return new ArrayList<>(sessions.values());
        } finally {
            lock.unlock();
        }
    }

    /** The session attached with {@code peer}, or null. */
    Session attached(String peer) {
        lock.lock();
        try {
            return sessions.get(peer);
        } finally {
            lock.unlock();
        }
    }

    /** Every session, attached or still opening. */
    Set<Session> all() { return all; }

    // ------------------------------------------------------------------------------------------------ sessions

    /** Registers a session whose peer introduced itself; false (with the reason) if another process holds it. */
    String attach(Session s) {
        Session old;
        lock.lock();
        try {
            if (closed || !contactOpen) return "contact closed";
            old = sessions.get(s.peer);
        } finally {
            lock.unlock();
        }
        if (old != null) {
            old.cut("replaced by a new session from " + s.peer);
            old.awaitEnd(2000);
        }
        try {
            if (!leases.acquire(s.peer)) {
                return leases.refusal(s.peer);
            }
        } catch (StoreUnavailableException e) {
            return STORE_UNAVAILABLE;
        }
        lock.lock();
        try {
            if (closed || !contactOpen) {
                leases.release(s.peer);
                return "contact closed";
            }
            sessions.put(s.peer, s);
            Counters c = counters(s.peer);
            c.connected = true;
            c.lastContact = now();
        } finally {
            lock.unlock();
        }
        return null;
    }

    void detach(Session s, boolean attached, PeerContact contact) {
        all.remove(s);
        if (!attached) return;
        lock.lock();
        try {
            if (sessions.get(s.peer) == s) {
                sessions.remove(s.peer);
                Counters c = counters(s.peer);
                c.connected = false;
                c.lastContact = now(); // the contact lasted until now, not only until the session's start
                c.lastEnd = s.endReason();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        leases.release(s.peer);
        if (contact != null) safe(() -> events.contactClosed(s.peer));
    }

    private Session runSession(Channel ch, boolean dialer, Runnable onEstablished) {
        Session s = new Session(this, ch, dialer);
        s.onEstablished(onEstablished);
        all.add(s);
        if (closed || !contactOpen()) {
            s.cut("contact closed");
        }
        s.run();
        return s;
    }

    /**
     * Keeps one session with the peer at any of {@code addresses} ({@code host:port[,host:port...]}, names expanded
     * to every address they have) while the contact is open: see {@link Dialer} for the order and the pauses.
     */
    public void dial(String addresses) {
        LinkAddresses parsed = LinkAddresses.parse(addresses);
        Duration timeout = Duration.ofMillis(Math.max(1000, cfg.retryDelay().toMillis() * 5));
        Dialer d = new Dialer(parsed, LinkAddresses.Resolver.DNS, (address, established) -> {
            Channel ch;
            try {
                ch = transport.connect(address, timeout);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "link: dial {0}: {1}", address, e);
                return Dialer.Attempt.failed(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            Session s = runSession(ch, true, established);
            String why = s.endReason();
            return new Dialer.Attempt(s.established(), why == null ? "session ended" : why,
                    s.established() ? null : Leases.expiresIn(why), s.endedSilent());
        }, this::awaitTurn, cfg.clock(), cfg.retryDelay(), cfg.retryDelay().multipliedBy(MAX_PAUSE_FACTOR));
        dialers.add(d);
        Thread t = Thread.ofVirtual().name("link-dial-" + addresses).unstarted(() -> {
            try {
                d.run();
            } catch (InterruptedException e) {
                // closing
            }
        });
        threads.add(t);
        t.start();
    }

    /** Where the dialling stands, or null when this endpoint does not dial (it listens). */
    public DialStatus dialStatus() {
        return dialers.isEmpty() ? null : dialers.get(dialers.size() - 1).status();
    }

    /**
     * The dialler's gate: {@code pause} of real time (a simulated clock running faster must not shorten the pause
     * between attempts on real sockets), ended early when the contact opens; while it is closed, no attempt at all.
     */
    private boolean awaitTurn(Duration pause) throws InterruptedException {
        long deadline = System.nanoTime() + pause.toNanos();
        lock.lock();
        try {
            while (!closed) {
                if (!contactOpen) {
                    while (!contactOpen && !closed) changed.await();
                    return !closed;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return true;
                changed.awaitNanos(left);
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    public String listen(String address) {
        Acceptor a;
        try {
            a = transport.bind(address);
        } catch (IOException e) {
            throw new LinkException("address", address, "cannot be bound: " + e.getMessage());
        }
        acceptors.add(a);
        Thread t = Thread.ofVirtual().name("link-accept-" + a.address()).unstarted(() -> {
            while (!closed) {
                Channel ch;
                try {
                    ch = a.accept();
                } catch (IOException e) {
                    if (!closed) LOG.log(System.Logger.Level.WARNING, "link: accept on {0}: {1}", a.address(), e);
                    return;
                }
                Thread st = Thread.ofVirtual().name("link-session-" + ch.remote()).unstarted(() -> runSession(ch, false, () -> { }));
                threads.add(st);
                st.start();
                threads.removeIf(x -> !x.isAlive() && x != st);
            }
        });
        threads.add(t);
        t.start();
        return a.address();
    }

    public void openContact() {
        lock.lock();
        try {
            contactOpen = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void closeContact() {
        lock.lock();
        try {
            contactOpen = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Session s : all) s.cut("contact closed");
    }

    public boolean contactOpen() {
        lock.lock();
        try {
            return contactOpen;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ stats

    public LinkStats stats(String peer) {
        long[] q = queueSize(peer);
        Counters c = counters.get(peer);
        long partial = store.partialCount(peer);
        Instant since = null, last = null;
        boolean connected = false;
        if (c != null) {
            lock.lock(); // connected and lastContact change together under it (attach, detach)
            try {
                connected = c.connected;
                since = connected ? c.lastContact : null;
                last = connected ? now() : c.lastContact;
            } finally {
                lock.unlock();
            }
        }
        return new LinkStats(peer, q[0], q[1], partial, c == null ? 0 : c.sent.get(), c == null ? 0 : c.received.get(),
                last, connected, c == null ? 0 : c.bundlesSent.get(), c == null ? 0 : c.bundlesReceived.get(), since,
                c == null ? null : c.lastEnd);
    }

    public List<LinkStats> peers() {
        Set<String> names = new java.util.TreeSet<>(counters.keySet());
        lock.lock();
        try {
            queues.forEach((k, v) -> { if (!v.isEmpty()) names.add(k); });
        } finally {
            lock.unlock();
        }
        List<LinkStats> out = new ArrayList<>();
        for (String n : names) out.add(stats(n));
        return out;
    }

    /** Queue counts towards {@code peer}: bundles and bytes. */
    long[] queueSize(String peer) {
        lock.lock();
        try {
            TreeSet<Out> q = queues.get(peer);
            long n = 0, bytes = 0;
            if (q != null) for (Out o : q) { n++; bytes += o.bundle().size(); }
            return new long[]{n, bytes};
        } finally {
            lock.unlock();
        }
    }

    static void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // a listener that failed for lack of the database says nothing new: the store's owner reports the outage
            LOG.log(StoreUnavailableException.isCause(e) ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                    "link: event listener failed: " + e);
        }
    }

    /**
     * Stops sessions, listeners, dialling and delivery, and hands this process's leases back: each session's lease as
     * it ends, the rest at the end, so that a peer redialling at once is served by another replica on the same store
     * instead of waiting for the lease to expire. A lease is handed back only once its session ended: a peer never
     * has two sessions at once, even for the moment of a shutdown.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Acceptor a : acceptors) {
            try {
                a.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        for (Session s : all) s.cut("endpoint closed");
        for (Session s : all) s.awaitEnd(2000);
        try {
            delivery.close();
            for (Thread t : threads) t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeping.close();
        leases.releaseAll();
    }
}
