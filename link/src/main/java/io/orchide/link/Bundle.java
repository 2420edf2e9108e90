package io.orchide.link;

import java.time.Duration;
import java.time.Instant;

/**
 * The unit the link carries, without its payload: a unique {@code id}, the {@code source} and {@code destination}
 * endpoint names, the application's {@code kind} (opaque to the link), {@code priority} 0..100 (higher goes first),
 * the {@code created} instant and the {@code lifetime} after which it is dropped, the payload {@code size} in bytes
 * and its {@code checksum} ({@code sha256:<hex>} of the payload).
 */
public record Bundle(String id, String source, String destination, String kind, int priority,
                     Instant created, Duration lifetime, long size, String checksum) {
    /** The instant after which the bundle is dropped instead of sent or delivered. */
    public Instant expires() { return created.plus(lifetime); }

    public boolean expiredAt(Instant now) { return now.isAfter(expires()); }
}
