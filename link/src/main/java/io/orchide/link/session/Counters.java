package io.orchide.link.session;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What an endpoint counted of its sessions with one peer, across sessions. */
final class Counters {
    final AtomicLong sent = new AtomicLong(), received = new AtomicLong();
    /** Bundles the peer took custody of, and bundles taken from it (stored whole, checksum verified). */
    final AtomicLong bundlesSent = new AtomicLong(), bundlesReceived = new AtomicLong();
    /** The end of the last session; while one is up, when it began (its {@code connectedSince}). */
    volatile Instant lastContact;
    volatile boolean connected;
    /** Why the last session with this peer ended (null while none has). */
    volatile String lastEnd;
}
