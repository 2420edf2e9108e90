package io.orchide.link.session;

import io.orchide.link.DialStatus;
import io.orchide.link.LinkAddresses;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps one session with a peer reachable at any of several addresses (ground replicas): tries the targets in turn,
 * stays on the one where a session was established, and moves to the next when an attempt fails (no connection, the
 * session refused, cut before it began). A whole round of failures is followed by a pause that doubles from
 * {@code base} up to {@code max}; within a round the next target is tried at once, so a replica that is gone costs
 * one refused connection, not a pause. When a refusal said when the lease keeping this endpoint out ends (its holder
 * crashed and stopped renewing it, say), the pause ends just after that instead, if sooner. Names are resolved again
 * at the start of each round.
 */
final class Dialer {
    /**
     * One attempt's outcome: whether a session was {@code established}, why it failed or ended, and, when the peer
     * refused it because another process's lease on this session runs, how long until that lease ends
     * ({@code leaseEndsIn}, else null), and whether the session ended for the peer's {@code silence} (frozen, cut
     * off: the next attempt goes to the next target, since this one would most likely not answer either).
     */
    record Attempt(boolean established, String failure, Duration leaseEndsIn, boolean silence) {
        Attempt(boolean established, String failure) {
            this(established, failure, null, false);
        }

        Attempt(boolean established, String failure, Duration leaseEndsIn) {
            this(established, failure, leaseEndsIn, false);
        }

        static Attempt failed(String why) { return new Attempt(false, why, null, false); }
    }

    /** Past the end of a lease a refusal named: the next attempt comes that long after it, so as not to be early. */
    static final Duration LEASE_MARGIN = Duration.ofMillis(200);

    /** Connects to {@code address} and runs the session until it ends, calling {@code established} once it began. */
    @FunctionalInterface
    interface Connector {
        Attempt attempt(String address, Runnable established) throws InterruptedException;
    }

    /**
     * Waits until the next attempt may start: {@code pause} has passed and the contact is open (an opening contact
     * ends the pause). False when the endpoint closes.
     */
    @FunctionalInterface
    interface Gate {
        boolean awaitTurn(Duration pause) throws InterruptedException;
    }

    private final LinkAddresses addresses;
    private final LinkAddresses.Resolver resolver;
    private final Connector connector;
    private final Gate gate;
    private final Clock clock;
    private final Duration base, max;

    private volatile String current;
    private volatile boolean connected;
    private volatile String lastFailure;
    private volatile Instant nextAttempt;

    Dialer(LinkAddresses addresses, LinkAddresses.Resolver resolver, Connector connector, Gate gate, Clock clock,
           Duration base, Duration max) {
        this.addresses = addresses;
        this.resolver = resolver;
        this.connector = connector;
        this.gate = gate;
        this.clock = clock;
        this.base = base;
        this.max = max.compareTo(base) < 0 ? base : max;
    }

    /** The pause after {@code rounds} whole rounds of failed attempts in a row (rounds >= 1). */
    Duration pauseAfter(int rounds) {
        Duration d = base;
        for (int i = 1; i < rounds && d.compareTo(max) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(max) > 0 ? max : d;
    }

    DialStatus status() {
        return new DialStatus(addresses.toString(), current, connected, lastFailure, nextAttempt);
    }

    /** Dials until the gate says the endpoint is closing. */
    void run() throws InterruptedException {
        List<LinkAddresses.Target> targets = resolve();
        int index = 0;
        int tried = 0;  // attempts failed in the current round
        int rounds = 0; // whole rounds failed in a row since the last session
        Instant leaseEnds = null; // the soonest a refusal of this round said the lease keeping it out ends
        Duration pause = Duration.ZERO;
        while (true) {
            nextAttempt = pause.isZero() ? null : clock.instant().plus(pause);
            if (!gate.awaitTurn(pause)) return;
            nextAttempt = null;
            if (targets.isEmpty()) { // no name resolved: a failed round of its own
                pause = pauseAfter(++rounds);
                targets = resolve();
                continue;
            }
            LinkAddresses.Target t = targets.get(index % targets.size());
            current = t.label();
            Instant start = clock.instant();
            Attempt a = connector.attempt(t.address(), this::established);
            if (a.established()) {
                connected = false;
                tried = 0;
                rounds = 0;
                leaseEnds = null;
                lastFailure = null;
                // a session that lasted is redialled at once (the peer may just have moved); one cut early is not,
                // so that a peer that accepts and drops at once is not hammered
                pause = Duration.between(start, clock.instant()).compareTo(max) >= 0 ? Duration.ZERO : base;
                targets = resolve();
                index = Math.max(0, indexOf(targets, t.address()));
                if (a.silence()) {
                    // a peer that fell silent is likely frozen or cut off: the others first, at once
                    lastFailure = t.label() + ": " + a.failure();
                    index++;
                    pause = Duration.ZERO;
                }
                continue;
            }
            lastFailure = t.label() + ": " + a.failure();
            if (a.leaseEndsIn() != null) {
                Instant ends = clock.instant().plus(a.leaseEndsIn());
                if (leaseEnds == null || ends.isBefore(leaseEnds)) leaseEnds = ends;
            }
            index++;
            if (++tried >= targets.size()) {
                tried = 0;
                pause = pauseAfter(++rounds);
                if (leaseEnds != null) {
                    Duration untilFree = Duration.between(clock.instant(), leaseEnds).plus(LEASE_MARGIN);
                    if (untilFree.isNegative()) untilFree = LEASE_MARGIN;
                    if (untilFree.compareTo(pause) < 0) pause = untilFree;
                    leaseEnds = null;
                }
                targets = resolve();
                index = targets.isEmpty() ? 0 : index % targets.size();
            } else {
                pause = Duration.ZERO;
            }
        }
    }

    /** The attempt under way established its session: shown as connected until the session ends. */
    private void established() {
        connected = true;
        lastFailure = null;
    }

    private List<LinkAddresses.Target> resolve() {
        LinkAddresses.Resolution r = addresses.resolve(resolver);
        if (!r.failures().isEmpty()) {
            lastFailure = String.join("; ", r.failures());
            Core.LOG.log(System.Logger.Level.DEBUG, "link: resolving {0}: {1}", addresses, lastFailure);
        }
        return r.targets();
    }

    private static int indexOf(List<LinkAddresses.Target> targets, String address) {
        for (int i = 0; i < targets.size(); i++) if (targets.get(i).address().equals(address)) return i;
        return -1;
    }
}
