package io.orchide.ground.fleet;

import java.time.Instant;
import java.util.List;

/**
 * A satellite as ground knows it: when it was first addressed or seen, its last contact (the end of the last session,
 * or the start of one still under way or cut without an end recorded; null if none yet), its downlink queue as the
 * node reported it when its last session began ({@code downlinkAsOf}), and its nodes.
 */
public record SatelliteRecord(String name, Instant created, Instant lastContact, Long downlinkBundles,
                              Long downlinkBytes, Instant downlinkAsOf, List<NodeRecord> nodes) {
}
