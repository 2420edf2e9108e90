package io.orchide.ground.fleet;

import java.time.Instant;
import java.util.List;

/**
 * A satellite as ground knows it: when it was first addressed or seen, its last contact (null if none yet), its
 * downlink queue as the node reported it at that contact, and its nodes.
 */
public record SatelliteRecord(String name, Instant created, Instant lastContact, Long downlinkBundles,
                              Long downlinkBytes, Instant downlinkAsOf, List<NodeRecord> nodes) {
}
