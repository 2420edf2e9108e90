package io.orchide.link.session;

import java.time.Clock;
import java.time.Duration;

/**
 * One session's liveness: when this side last wrote and last read a byte, whether a keepalive is due, and whether the
 * peer counts as dead. Bytes count, not frames: a segment of a large bundle crawling over a thin link is news of a live
 * peer with every byte that arrives, however long the whole frame takes. A peer is timed out only once it has shown
 * it keeps sessions alive (its first keepalive, sent right after STATE): a peer from before keepalives never sends
 * one when it has nothing to say, and must not be taken for dead when idle.
 */
final class Liveness {
    private final Clock clock;
    private final Duration keepalive, idleTimeout;
    private volatile long lastSent, lastReceived;
    private volatile boolean peerKeepsAlive;

    Liveness(Clock clock, Duration keepalive, Duration idleTimeout) {
        this.clock = clock;
        this.keepalive = keepalive;
        this.idleTimeout = idleTimeout;
        long now = clock.millis();
        lastSent = now;
        lastReceived = now;
    }

    void sent() { lastSent = clock.millis(); }

    void received() { lastReceived = clock.millis(); }

    /** The peer sent a keepalive: it keeps the session alive, so its silence from now on means it is gone. */
    void peerKeepsAlive() { peerKeepsAlive = true; }

    /** How long until this side must send a keepalive if it sends nothing else; zero or negative: due now. */
    Duration untilKeepalive() {
        return Duration.ofMillis(lastSent + keepalive.toMillis() - clock.millis());
    }

    /** How long nothing at all was received. */
    Duration silence() {
        return Duration.ofMillis(Math.max(0, clock.millis() - lastReceived));
    }

    /** Whether the peer counts as dead: it keeps sessions alive, yet nothing came for the idle timeout. */
    boolean dead() {
        return peerKeepsAlive && silence().compareTo(idleTimeout) >= 0;
    }

    Duration idleTimeout() { return idleTimeout; }
}
