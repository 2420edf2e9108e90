package io.orchide.web.telemetry;

import java.util.List;

/**
 * One line of a scrape: {@code name} (the family's, or with a histogram's {@code _bucket}, {@code _sum} or
 * {@code _count}), its label names and values (in the same order), its value, and the time it was measured when that
 * is not the scrape's (null: now; a value relayed from elsewhere, as ground relays satellites' housekeeping, keeps its
 * own).
 */
public record Sample(String name, List<String> labelNames, List<String> labelValues, double value, java.time.Instant at) {
    public Sample(String name, List<String> labelNames, List<String> labelValues, double value) {
        this(name, labelNames, labelValues, value, null);
    }

    public Sample {
        labelNames = List.copyOf(labelNames);
        labelValues = List.copyOf(labelValues);
        if (labelNames.size() != labelValues.size()) {
            throw new IllegalArgumentException("labelValues of " + name + ": " + labelValues + " for the labels "
                    + labelNames + " (one value per label)");
        }
    }
}
