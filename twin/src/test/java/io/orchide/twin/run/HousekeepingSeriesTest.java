package io.orchide.twin.run;

import io.orchide.model.time.ScaledClock;
import io.orchide.node.housekeeping.Housekeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The housekeeping of a twin's node reaches ground's series: a real agent and a real ground on the twin's scaled
 * clock (200 simulated seconds a second, as the demo runs), the twin's radio between them; what the twin's summary
 * reads from ground's series API is the node's metrics as series with samples, and the bytes the node queued for
 * its housekeeping, within its budget.
 */
class HousekeepingSeriesTest {
    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void housekeepingFromATwinsNodeReachesGroundsSeriesWithinItsBudget() throws Exception {
        ScaledClock clock = new ScaledClock(T0, 200, Instant.now());
        try (GroundAndNode sat = GroundAndNode.start(tmp, clock, null)) {
            sat.contact(true);
            HousekeepingSummary h = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(
                    () -> HousekeepingCollector.collect(sat.api, sat.admin, GroundAndNode.SAT, T0.minus(Duration.ofHours(1)),
                            clock.instant()),
                    x -> x != null && x.bytes() > 0);
            assertThat(h.series()).as(h.toString()).isGreaterThan(5);
            assertThat(h.samples()).isGreaterThan(h.series());
            assertThat(h.budgetSet()).isFalse();
            assertThat(h.budgetPerDay()).isEqualTo(Housekeeper.DEFAULT_BUDGET);
            assertThat(h.bytes()).isLessThanOrEqualTo(h.allowedBytes());
            // the node's own metrics under their names, its link's among them
            List<String> metrics = new java.util.ArrayList<>();
            new io.orchide.client.http.HttpApi(java.net.URI.create(sat.api), io.orchide.client.http.Transfers.NONE, sat.admin)
                    .get("/api/v1/series/metrics?satellite=" + GroundAndNode.SAT).path("metrics")
                    .forEach(m -> metrics.add(m.asText()));
            assertThat(metrics).hasSize(h.series()).contains(Housekeeper.SENT_BYTES)
                    .anySatisfy(m -> assertThat(m).startsWith("orchide_link_bytes_total"));
        }
    }
}
