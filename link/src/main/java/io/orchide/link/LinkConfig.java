package io.orchide.link;

import java.time.Clock;
import java.time.Duration;

/**
 * How an endpoint behaves: its {@code localName} (a satellite name on board, {@code ground} on ground), the
 * {@code info} JSON it introduces itself with, the transmit {@code rateBytesPerSecond} (0 = unlimited), the
 * {@code segmentBytes} a payload is cut into, the largest payload it accepts ({@code maxBundleBytes}), the
 * {@code holder} name of this process and the {@code leaseTtl} of its claim on a peer's session (several ground
 * replicas on one store: renewed every third of it, so a holder that crashed keeps its peers at most this long; default
 * {@link #DEFAULT_LEASE}), the {@code retryDelay} between dial attempts (the pause after a round of failed attempts,
 * doubling up to four times it), the {@code clock}, and the session's liveness: a side that has sent nothing for
 * {@code keepalive} sends a keepalive frame, and a side that has received nothing at all for {@code idleTimeout} from a
 * peer that keeps its sessions alive ends the session as dead (defaults {@link #DEFAULT_KEEPALIVE} and
 * {@link #DEFAULT_IDLE_TIMEOUT}; both measured in real time, whatever {@code clock} says, since they are about sockets).
 */
public record LinkConfig(String localName, String info, long rateBytesPerSecond, int segmentBytes,
                         long maxBundleBytes, String holder, Duration leaseTtl, Duration retryDelay, Clock clock,
                         Duration keepalive, Duration idleTimeout) {
    public static final int DEFAULT_SEGMENT = 64 * 1024;
    public static final long DEFAULT_MAX_BUNDLE = 256L * 1024 * 1024;
    /**
     * A lease short enough that a peer whose replica crashed is served by another within 15 s: the lease ends at most
     * this long after the crash, and the peer's dialler, told when by the other replica's refusal, comes back just
     * after that (at most 4 s, four retry delays, later when it was not told).
     */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    /**
     * Silence after which a side sends a keepalive: 31 bytes on the wire, about 22 KB per side and idle hour. Short
     * beside the idle timeout, so that a healthy but idle peer is heard from several times before it would count as dead.
     */
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(5);
    /**
     * Silence after which a session counts as dead: four keepalive intervals, so that one or two frames late on a
     * radio link (a fade, a retransmission) do not cut a healthy session, yet a vanished peer frees its satellite's
     * lease (and the other side's dialler) within about 20 s.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(20);

    public LinkConfig {
        info = info == null ? "{}" : info;
        segmentBytes = segmentBytes <= 0 ? DEFAULT_SEGMENT : segmentBytes;
        maxBundleBytes = maxBundleBytes <= 0 ? DEFAULT_MAX_BUNDLE : maxBundleBytes;
        holder = holder == null ? localName + "-" + ProcessHandle.current().pid() : holder;
        leaseTtl = leaseTtl == null ? DEFAULT_LEASE : leaseTtl;
        if (leaseTtl.isNegative() || leaseTtl.isZero()) throw new LinkException("leaseTtl", leaseTtl, "must be positive");
        if (retryDelay != null && (retryDelay.isNegative() || retryDelay.isZero()))
            throw new LinkException("retryDelay", retryDelay, "must be positive");
        retryDelay = retryDelay == null ? Duration.ofSeconds(1) : retryDelay;
        clock = clock == null ? Clock.systemUTC() : clock;
        keepalive = keepalive == null ? DEFAULT_KEEPALIVE : keepalive;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        if (keepalive.isNegative() || keepalive.isZero()) throw new LinkException("keepalive", keepalive, "must be positive");
        if (idleTimeout.compareTo(keepalive) <= 0)
            throw new LinkException("idleTimeout", idleTimeout, "must be longer than the keepalive interval " + keepalive);
    }

    /** The defaults for liveness ({@link #DEFAULT_KEEPALIVE}, {@link #DEFAULT_IDLE_TIMEOUT}). */
    public LinkConfig(String localName, String info, long rateBytesPerSecond, int segmentBytes, long maxBundleBytes,
                      String holder, Duration leaseTtl, Duration retryDelay, Clock clock) {
        this(localName, info, rateBytesPerSecond, segmentBytes, maxBundleBytes, holder, leaseTtl, retryDelay, clock,
                null, null);
    }

    /** This configuration with other liveness settings (null: the default). */
    public LinkConfig withLiveness(Duration keepalive, Duration idleTimeout) {
        return new LinkConfig(localName, info, rateBytesPerSecond, segmentBytes, maxBundleBytes, holder, leaseTtl,
                retryDelay, clock, keepalive, idleTimeout);
    }

    public static LinkConfig of(String localName, String info) {
        return new LinkConfig(localName, info, 0, 0, 0, null, null, null, null);
    }
}
