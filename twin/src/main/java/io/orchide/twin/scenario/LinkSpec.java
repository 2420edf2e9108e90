package io.orchide.twin.scenario;

import java.time.Duration;

/** How the radio link behaves during a contact beside its rates: one-way delay and frame loss probability. */
public record LinkSpec(Duration delay, double loss) {
    public static final LinkSpec DEFAULT = new LinkSpec(Duration.ofMillis(10), 0);
}
