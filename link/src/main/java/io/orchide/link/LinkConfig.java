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
 * doubling up to four times it), and the {@code clock}.
 */
public record LinkConfig(String localName, String info, long rateBytesPerSecond, int segmentBytes,
                         long maxBundleBytes, String holder, Duration leaseTtl, Duration retryDelay, Clock clock) {
    public static final int DEFAULT_SEGMENT = 64 * 1024;
    public static final long DEFAULT_MAX_BUNDLE = 256L * 1024 * 1024;
    /**
     * A lease short enough that a peer whose replica crashed is served by another within 15 s: the lease ends at most
     * this long after the crash, and the peer's dialler, told when by the other replica's refusal, comes back just
     * after that (at most 4 s, four retry delays, later when it was not told).
     */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

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
    }

    public static LinkConfig of(String localName, String info) {
        return new LinkConfig(localName, info, 0, 0, 0, null, null, null, null);
    }
}
