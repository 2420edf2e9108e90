package io.orchide.web.telemetry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Counters only go up; histograms show cumulative buckets ending in +Inf, with _sum and _count. */
class CounterHistogramTest {
    @Test
    void aCounterCountsPerLabelSetAndRefusesToGoDown() {
        Counter c = new Counter("orchide_link_bundles_total", "Bundles.", "direction", "priority");
        c.inc("out", "50");
        c.inc(2, "out", "50");
        c.inc("in", "10");
        assertThat(c.value("out", "50")).isEqualTo(3);
        assertThatThrownBy(() -> c.inc(-1, "out", "50")).hasMessageContaining("-1");
        assertThatThrownBy(() -> c.inc(Double.NaN, "out", "50")).hasMessageContaining("NaN");
        assertThatThrownBy(() -> c.inc("out")).hasMessageContaining("[out]");
        assertThat(c.value("out", "50")).as("nothing changed by a refused increment").isEqualTo(3);
        assertThat(TextFormat.write(c.collect())).contains("# TYPE orchide_link_bundles_total counter\n")
                .contains("orchide_link_bundles_total{direction=\"out\",priority=\"50\"} 3\n")
                .contains("orchide_link_bundles_total{direction=\"in\",priority=\"10\"} 1\n");
    }

    @Test
    void aCounterKeepsAtMostABoundedNumberOfLabelSets() {
        Counter c = new Counter("orchide_things_total", "Things.", "name");
        for (int i = 0; i < Series.MAX + 10; i++) c.inc("n" + i);
        assertThat(c.collect().getFirst().samples()).hasSize(Series.MAX);
        c.inc("n0");
        assertThat(c.value("n0")).as("a label set already kept still counts").isEqualTo(2);
    }

    @Test
    void histogramBucketsAreCumulativeAndEndInInfEqualToTheCount() {
        Histogram h = new Histogram("orchide_step_duration_seconds", "Step durations.", new double[]{0.5, 1, 5}, "pipeline");
        for (double v : new double[]{0.1, 0.5, 0.7, 1, 3, 9, 100}) h.observe(v, "scan");
        h.observe(Double.NaN, "scan");
        assertThat(TextFormat.write(h.collect())).isEqualTo("""
                # HELP orchide_step_duration_seconds Step durations.
                # TYPE orchide_step_duration_seconds histogram
                orchide_step_duration_seconds_bucket{pipeline="scan",le="0.5"} 2
                orchide_step_duration_seconds_bucket{pipeline="scan",le="1"} 4
                orchide_step_duration_seconds_bucket{pipeline="scan",le="5"} 5
                orchide_step_duration_seconds_bucket{pipeline="scan",le="+Inf"} 7
                orchide_step_duration_seconds_sum{pipeline="scan"} 114.3
                orchide_step_duration_seconds_count{pipeline="scan"} 7
                """);
    }

    @Test
    void histogramBoundsMustBeFiniteAndIncreasing() {
        assertThatThrownBy(() -> new Histogram("h_seconds", "h", new double[]{1, 1}))
                .hasMessageContaining("[1.0, 1.0]");
        assertThatThrownBy(() -> new Histogram("h_seconds", "h", new double[]{1, Double.POSITIVE_INFINITY}))
                .hasMessageContaining("Infinity");
    }

    @Test
    void concurrentObservationsAreAllCounted() throws Exception {
        Histogram h = new Histogram("orchide_latency_seconds", "Latency.", Histogram.SECONDS);
        Counter c = new Counter("orchide_events_total", "Events.");
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    h.observe(i % 700);
                    c.inc();
                }
            }));
        }
        for (Thread t : threads) t.join();
        List<Sample> s = h.collect().getFirst().samples();
        assertThat(s.get(s.size() - 1)).isEqualTo(new Sample("orchide_latency_seconds_count", List.of(), List.of(), 40_000));
        assertThat(c.value()).isEqualTo(40_000);
    }
}
