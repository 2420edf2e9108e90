package io.orchide.link;

import java.time.Instant;

/**
 * One peer as the link sees it: bundles and bytes still queued towards it, bundles partly received from it, bytes
 * sent and received in this process's lifetime, the bundles it took custody of ({@code bundlesSent}) and taken whole
 * from it ({@code bundlesReceived}) in this process's lifetime, and its contact:
 * <ul>
 *   <li>{@code connected}: a session with it is up in this process; {@code connectedSince} is when that session
 *   began (null when none is up);</li>
 *   <li>{@code lastContact}: the last instant this process was in contact with it: now while a session is up, the
 *   end of the last session otherwise; null when none ever was.</li>
 * </ul>
 * {@code lastSessionEnd} says why the last session with it ended in this process (the peer closed it, the contact was
 * closed, a lease lost, or {@code dead: ...} when the peer fell silent), null when none has ended.
 */
public record LinkStats(String peer, long queuedBundles, long queuedBytes, long partialIncoming,
                        long bytesSent, long bytesReceived, Instant lastContact, boolean connected,
                        long bundlesSent, long bundlesReceived, Instant connectedSince, String lastSessionEnd) {
    public LinkStats(String peer, long queuedBundles, long queuedBytes, long partialIncoming, long bytesSent,
                     long bytesReceived, Instant lastContact, boolean connected, long bundlesSent, long bundlesReceived,
                     Instant connectedSince) {
        this(peer, queuedBundles, queuedBytes, partialIncoming, bytesSent, bytesReceived, lastContact, connected,
                bundlesSent, bundlesReceived, connectedSince, null);
    }

    public LinkStats {
        if (connected != (connectedSince != null)) {
            throw new IllegalArgumentException("connectedSince: set exactly while connected (connected " + connected
                    + ", got " + connectedSince + ")");
        }
    }
}
