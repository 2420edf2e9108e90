package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;
import io.orchide.web.telemetry.Histogram;
import io.orchide.web.telemetry.MetricFamily;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AggregatorTest {
    private static List<MetricFamily> scrape(double queue, double bytes) {
        return List.of(MetricFamily.gauge("orchide_run_queue_length", "q", "priority").add(queue, "50").build(),
                MetricFamily.counter("orchide_link_bytes_total", "b").add(bytes).build());
    }

    @Test
    void aGaugeIsSummarisedAsMinMaxMeanAndLast() {
        Aggregator a = new Aggregator();
        a.observe(scrape(4, 0));
        a.observe(scrape(1, 0));
        a.observe(scrape(7, 0));
        a.observe(scrape(2, 0));
        Aggregator.Summary s = a.close().get("orchide_run_queue_length{priority=\"50\"}");
        assertThat(s.kind()).isEqualTo(Housekeeping.Kind.GAUGE);
        assertThat(s.cell()).isEqualTo(new Housekeeping.Cell(1, 7, 3.5, 2));
    }

    @Test
    void aCounterIsItsIncreaseAndAResetCountsFromZero() {
        Aggregator a = new Aggregator();
        a.observe(scrape(0, 100));
        a.observe(scrape(0, 150));
        assertThat(a.close().get("orchide_link_bytes_total").cell()).isEqualTo(Housekeeping.Cell.flat(50));
        a.observe(scrape(0, 170)); // +20 since the previous interval's last value
        a.observe(scrape(0, 30));  // the agent's counter started again: 30 since the reset
        a.observe(scrape(0, 40));
        assertThat(a.close().get("orchide_link_bytes_total").cell()).isEqualTo(Housekeeping.Cell.flat(60));
    }

    @Test
    void aCountersFirstValueIsOnlyItsBaseline() {
        Aggregator a = new Aggregator();
        a.observe(scrape(0, 1_000_000));
        assertThat(a.close()).doesNotContainKey("orchide_link_bytes_total");
    }

    @Test
    void aSeriesNotScrapedInAnIntervalHasNoSummaryNotAZero() {
        Aggregator a = new Aggregator();
        a.observe(scrape(3, 10));
        a.close();
        Map<String, Aggregator.Summary> empty = a.close();
        assertThat(empty).isEmpty();
    }

    @Test
    void aHistogramTravelsAsTheIncreasesOfItsCountAndSum() {
        Histogram h = new Histogram("orchide_step_duration_seconds", "d", new double[]{1, 10});
        Aggregator a = new Aggregator();
        h.observe(0.5);
        a.observe(h.collect());
        h.observe(2);
        h.observe(5);
        a.observe(h.collect());
        Map<String, Aggregator.Summary> s = a.close();
        assertThat(s.get("orchide_step_duration_seconds_count").cell()).isEqualTo(Housekeeping.Cell.flat(2));
        assertThat(s.get("orchide_step_duration_seconds_sum").cell()).isEqualTo(Housekeeping.Cell.flat(7));
        assertThat(s.keySet()).noneMatch(k -> k.contains("_bucket"));
    }
}
