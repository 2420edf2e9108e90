package io.orchide.ground.desired;

import java.time.Instant;

/**
 * One App or Pipeline in a satellite's desired state at {@code generation}; {@code manifest} is its canonical JSON,
 * null once deleted. {@code queued} says whether the bundle carrying this generation is with the link.
 */
public record DesiredObject(String satellite, String kind, String name, String tenant, int generation,
                            String manifest, Instant updated, String bundleId, boolean queued) {
    public boolean deleted() { return manifest == null; }
}
