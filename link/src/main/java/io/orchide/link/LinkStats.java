package io.orchide.link;

import java.time.Instant;

/**
 * One peer as the link sees it: bundles and bytes still queued towards it, bundles partly received from it, bytes
 * sent and received in this process's lifetime, the last contact (null if none yet), and the bundles it took custody
 * of ({@code bundlesSent}) and taken whole from it ({@code bundlesReceived}) in this process's lifetime.
 */
public record LinkStats(String peer, long queuedBundles, long queuedBytes, long partialIncoming,
                        long bytesSent, long bytesReceived, Instant lastContact, boolean connected,
                        long bundlesSent, long bundlesReceived) {
}
