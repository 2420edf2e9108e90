package io.orchide.link.session;

import io.orchide.link.LinkConfig;
import io.orchide.link.store.LinkStore;

import io.orchide.model.time.ScaledClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leases this process holds on peers' sessions, in the link's store: several processes sharing one store (ground
 * replicas on one PostgreSQL) never hold the same peer at once. A lease is reference-counted here (a session and the
 * delivery of that peer's bundles may hold it together), renewed by {@link #renew} every {@link #renewEvery()},
 * released on the last release.
 */
final class Leases {
    /** The shortest real interval between renewals, however fast the clock runs. */
    static final Duration MIN_RENEW_EVERY = Duration.ofMillis(50);

    private final LinkStore store;
    private final LinkConfig cfg;
    private final Map<String, Integer> held = new HashMap<>();

    Leases(LinkStore store, LinkConfig cfg) {
        this.store = store;
        this.cfg = cfg;
    }

    /**
     * How often, in real time, to call {@link #renew}: a third of the lease on the injected clock's terms, so that a
     * lease is renewed twice before it could lapse even when the clock runs faster than real time (the twin's
     * simulated clock, where a third of the lease in real time is more than the whole lease in simulated time); at
     * least {@link #MIN_RENEW_EVERY}.
     */
    Duration renewEvery() {
        Duration real = ScaledClock.realDelay(cfg.clock(), cfg.leaseTtl().dividedBy(3));
        return real.compareTo(MIN_RENEW_EVERY) < 0 ? MIN_RENEW_EVERY : real;
    }

    /** Takes (or joins) the lease on {@code peer}; false when another process holds it. */
    synchronized boolean acquire(String peer) {
        Integer n = held.get(peer);
        if (n != null) {
            held.put(peer, n + 1);
            return true;
        }
        if (!store.acquireLease(peer, cfg.holder(), cfg.clock().instant(), cfg.leaseTtl())) return false;
        held.put(peer, 1);
        return true;
    }

    synchronized void release(String peer) {
        Integer n = held.get(peer);
        if (n == null) return;
        if (n > 1) {
            held.put(peer, n - 1);
            return;
        }
        held.remove(peer);
        try {
            store.releaseLease(peer, cfg.holder());
        } catch (RuntimeException e) {
            Core.LOG.log(io.orchide.link.store.StoreUnavailableException.isCause(e) ? System.Logger.Level.DEBUG
                    : System.Logger.Level.WARNING, "link: release of lease on {0} failed: {1}", peer, e);
        }
    }

    /**
     * Why a session with {@code peer} cannot be had here: who holds its lease and when that lease ends unless its
     * holder renews it (a holder that crashed stops renewing: the lease then ends at that instant).
     */
    String refusal(String peer) {
        LinkStore.Lease l;
        try {
            l = store.lease(peer, cfg.clock().instant());
        } catch (RuntimeException e) {
            return "session with " + peer + " is held by another process (the lease store cannot say which: " + e.getMessage() + ")";
        }
        if (l == null) return "session with " + peer + " was held by another process a moment ago; try again";
        long ms = Math.max(0, Duration.between(cfg.clock().instant(), l.expires()).toMillis());
        return "session with " + peer + " is held by " + l.holder() + " under a lease that expires at " + l.expires()
                + " (in " + String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0) + " s) unless " + l.holder()
                + " renews it";
    }

    private static final java.util.regex.Pattern EXPIRES_IN =
            java.util.regex.Pattern.compile("under a lease that expires at \\S+ \\(in (\\d+(?:\\.\\d+)?) s\\)");

    /**
     * How long until the lease a {@link #refusal} names ends, read back from its text (the one thing a refused
     * peer is told), or null when the text says no such thing: the dialler comes back then rather than at its next
     * pause, should that be later.
     */
    static java.time.Duration expiresIn(String refusal) {
        if (refusal == null) return null;
        java.util.regex.Matcher m = EXPIRES_IN.matcher(refusal);
        if (!m.find()) return null;
        return java.time.Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000));
    }

    /**
     * Whether this process still holds {@code peer}'s lease in the store, renewing it if so: false once another process
     * took it. Asked before each delivery on a shared store, since a process that stalled past its lease (a long pause,
     * SIGSTOP) runs on for a moment as if it held the lease, while another process that took it serves the same peer.
     */
    boolean confirm(String peer) {
        synchronized (this) {
            if (!held.containsKey(peer)) return false;
        }
        return store.renewLease(peer, cfg.holder(), cfg.clock().instant(), cfg.leaseTtl());
    }

    /**
     * Renews every lease held; returns the peers whose lease another process has taken meanwhile, and forgets them:
     * the references still out (a session being cut, a delivery) release nothing, and the next acquisition asks the
     * store, which refuses while the other process holds it.
     */
    synchronized List<String> renew() {
        List<String> lost = new ArrayList<>();
        for (String peer : held.keySet()) {
            try {
                if (!store.renewLease(peer, cfg.holder(), cfg.clock().instant(), cfg.leaseTtl())) lost.add(peer);
            } catch (RuntimeException e) {
                // an unavailable store is reported once by the endpoint (it cuts the sessions), not per peer and tick
                Core.LOG.log(io.orchide.link.store.StoreUnavailableException.isCause(e) ? System.Logger.Level.DEBUG
                        : System.Logger.Level.WARNING, "link: renewal of lease on {0} failed: {1}", peer, e);
            }
        }
        lost.forEach(held::remove);
        return lost;
    }

    /** Releases every lease, whoever holds a reference (the endpoint is closing). */
    synchronized void releaseAll() {
        for (String peer : new ArrayList<>(held.keySet())) {
            held.put(peer, 1);
            release(peer);
        }
    }
}
