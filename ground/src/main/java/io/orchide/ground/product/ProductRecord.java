package io.orchide.ground.product;

import java.time.Instant;

/** A product received from a satellite: ground's {@code id}, the node's id for it, where it comes from, its lineage. */
public record ProductRecord(long id, String satellite, long nodeProductId, String bundleId, String run, String step,
                            String item, String name, long size, String sha256, int priority, Instant created,
                            Instant expires, String lineage, Instant received) {
}
