package io.orchide.web.telemetry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text exposition as Prometheus parses it: HELP, TYPE, samples, escaping and numbers. */
class TextFormatTest {
    @Test
    void aFamilyIsWrittenWithItsHelpTypeAndLabelledSamples() {
        MetricFamily f = MetricFamily.gauge("orchide_workloads", "Workloads by state.", "state")
                .add(2, "Running").add(0.5, "BackOff").build();
        assertThat(TextFormat.write(List.of(f))).isEqualTo("""
                # HELP orchide_workloads Workloads by state.
                # TYPE orchide_workloads gauge
                orchide_workloads{state="Running"} 2
                orchide_workloads{state="BackOff"} 0.5
                """);
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndLineFeedAndHelpEscapesBackslashAndLineFeed() {
        MetricFamily f = MetricFamily.gauge("m", "a \\ help\nover \"two\" lines", "app")
                .add(1, "say \"hi\"\\n\nnext").build();
        assertThat(TextFormat.write(List.of(f))).isEqualTo("""
                # HELP m a \\\\ help\\nover "two" lines
                # TYPE m gauge
                m{app="say \\"hi\\"\\\\n\\nnext"} 1
                """);
    }

    @Test
    void numbersAreWrittenAsPrometheusReadsThem() {
        assertThat(TextFormat.number(3)).isEqualTo("3");
        assertThat(TextFormat.number(-7)).isEqualTo("-7");
        assertThat(TextFormat.number(0.25)).isEqualTo("0.25");
        assertThat(TextFormat.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(TextFormat.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(TextFormat.number(Double.NaN)).isEqualTo("NaN");
        assertThat(Double.parseDouble(TextFormat.number(1e20))).isEqualTo(1e20);
        assertThat(Double.parseDouble(TextFormat.number(1.5e-7))).isEqualTo(1.5e-7);
    }

    @Test
    void namesThatWouldMakeTheExpositionInvalidAreRefusedNamingTheValue() {
        assertThatThrownBy(() -> MetricFamily.gauge("2bad", "h")).hasMessageContaining("'2bad'");
        assertThatThrownBy(() -> MetricFamily.gauge("bad-name", "h")).hasMessageContaining("'bad-name'");
        assertThatThrownBy(() -> MetricFamily.counter("orchide_restarts", "h")).hasMessageContaining("_total");
        assertThatThrownBy(() -> MetricFamily.gauge("orchide_queue_total", "h")).hasMessageContaining("_total");
        assertThatThrownBy(() -> MetricFamily.gauge("m", "h", "__name")).hasMessageContaining("'__name'");
        assertThatThrownBy(() -> MetricFamily.gauge("m", "h", "app-name")).hasMessageContaining("'app-name'");
        assertThatThrownBy(() -> MetricFamily.gauge("m", "h", "a", "a")).hasMessageContaining("twice");
        assertThatThrownBy(() -> new Histogram("h_seconds", "h", Histogram.SECONDS, "le")).hasMessageContaining("'le'");
        assertThatThrownBy(() -> MetricFamily.gauge("m", "h", "state").add(1)).hasMessageContaining("[state]");
        assertThatThrownBy(() -> MetricFamily.counter("m_total", "h").add(-2)).hasMessageContaining("-2.0");
        assertThat(MetricFamily.gauge("m", "h").add(-2).build().samples().getFirst().value()).isEqualTo(-2);
    }

    @Test
    void aCollectorThatFailsIsLeftOutAndTheOthersAreShown() {
        Registry r = new Registry();
        r.register(() -> { throw new IllegalStateException("database away"); });
        r.register(() -> List.of(MetricFamily.gauge("orchide_up", "Up.").add(1).build()));
        r.register(() -> List.of(MetricFamily.gauge("orchide_up", "Up again.").add(2).build()));
        assertThat(r.scrape()).isEqualTo("""
                # HELP orchide_up Up.
                # TYPE orchide_up gauge
                orchide_up 1
                """);
    }
}
