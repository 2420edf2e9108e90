package io.orchide.link;

import java.time.Clock;
import java.time.Duration;

/**
 * How an endpoint behaves: its {@code localName} (a satellite name on board, {@code ground} on ground), the
 * {@code info} JSON it introduces itself with, the transmit {@code rateBytesPerSecond} (0 = unlimited), the
 * {@code segmentBytes} a payload is cut into, the largest payload it accepts ({@code maxBundleBytes}), the
 * {@code holder} name of this process and the {@code leaseTtl} of its claim on a peer's session (several ground
 * replicas on one store), the {@code retryDelay} between dial attempts, and the {@code clock}.
 */
public record LinkConfig(String localName, String info, long rateBytesPerSecond, int segmentBytes,
                         long maxBundleBytes, String holder, Duration leaseTtl, Duration retryDelay, Clock clock) {
    public static final int DEFAULT_SEGMENT = 64 * 1024;
    public static final long DEFAULT_MAX_BUNDLE = 256L * 1024 * 1024;

    public LinkConfig {
        info = info == null ? "{}" : info;
        segmentBytes = segmentBytes <= 0 ? DEFAULT_SEGMENT : segmentBytes;
        maxBundleBytes = maxBundleBytes <= 0 ? DEFAULT_MAX_BUNDLE : maxBundleBytes;
        holder = holder == null ? localName + "-" + ProcessHandle.current().pid() : holder;
        leaseTtl = leaseTtl == null ? Duration.ofSeconds(15) : leaseTtl;
        retryDelay = retryDelay == null ? Duration.ofSeconds(1) : retryDelay;
        clock = clock == null ? Clock.systemUTC() : clock;
    }

    public static LinkConfig of(String localName, String info) {
        return new LinkConfig(localName, info, 0, 0, 0, null, null, null, null);
    }
}
