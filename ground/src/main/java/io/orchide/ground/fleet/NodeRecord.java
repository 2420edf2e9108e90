package io.orchide.ground.fleet;

import java.time.Instant;
import java.util.List;

/** A node of a satellite as it last introduced itself. */
public record NodeRecord(String name, String arch, int cores, long memoryMib, List<String> monitors,
                         String accelerators, String devices, String version, Instant firstSeen, Instant lastSeen) {
}
