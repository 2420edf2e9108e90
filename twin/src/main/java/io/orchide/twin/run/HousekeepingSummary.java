package io.orchide.twin.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one satellite's housekeeping brought ground over a scenario, as ground's series API says at its end: the
 * series it holds for the satellite and their samples in the scenario's span, the bytes of housekeeping the nodes
 * queued for ground (the increases of {@code orchide_housekeeping_bytes_total} that reached ground; -1 when that
 * series has not reached it yet), the satellite's telemetry budget (the one an operator set on ground, else the
 * nodes' default) and what it allows over the {@code span} from the first sample to the end, and the gaps ground recorded (spans nothing was measured: the
 * agent down), never zeros.
 */
public record HousekeepingSummary(String satellite, int series, long samples, long bytes, long budgetPerDay,
                                  boolean budgetSet, Duration span, List<Gap> gaps) {
    public HousekeepingSummary {
        gaps = List.copyOf(gaps);
    }

    public record Gap(Instant from, Instant to) {
    }

    /** The bytes the budget allows over the span. */
    public long allowedBytes() {
        return (long) (budgetPerDay * (span.toMillis() / (double) Duration.ofDays(1).toMillis()));
    }
}
