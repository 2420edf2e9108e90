package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;
import io.orchide.web.telemetry.MetricFamily;
import io.orchide.web.telemetry.MetricType;
import io.orchide.web.telemetry.Sample;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises the scrapes of one interval, series by series: a gauge's min, max, mean and last; a counter's increase
 * (a value below the previous one is a reset, after which the value itself is the increase, as Prometheus'
 * {@code increase()} takes it); a histogram as the increases of its {@code _count} and {@code _sum}. A series not
 * scraped in the interval has no summary: ground shows a gap there, never a zero. A counter's first value ever seen
 * is only its baseline (what it counted before is not this interval's). Not thread-safe: one housekeeper owns it.
 */
public final class Aggregator {
    /** What one interval measured, by series key. */
    public record Summary(Housekeeping.Kind kind, Housekeeping.Cell cell) {
    }

    private static final class Gauge {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum, last;
        int n;
    }

    private final Map<String, Gauge> gauges = new LinkedHashMap<>();
    private final Map<String, Double> increases = new LinkedHashMap<>();
    private final Map<String, Double> lastCounter = new HashMap<>();

    /** Takes one scrape. */
    public void observe(List<MetricFamily> scrape) {
        for (MetricFamily f : scrape) {
            for (Sample s : f.samples()) {
                if (f.type() == MetricType.GAUGE) {
                    gauge(key(s), s.value());
                } else if (f.type() == MetricType.COUNTER
                        || s.name().endsWith("_count") || s.name().endsWith("_sum")) {
                    counter(key(s), s.value());
                }
            }
        }
    }

    private void gauge(String key, double v) {
        if (Double.isNaN(v)) return;
        Gauge g = gauges.computeIfAbsent(key, k -> new Gauge());
        g.min = Math.min(g.min, v);
        g.max = Math.max(g.max, v);
        g.sum += v;
        g.n++;
        g.last = v;
    }

    private void counter(String key, double v) {
        if (Double.isNaN(v)) return;
        Double before = lastCounter.put(key, v);
        if (before == null) return;
        double increase = v >= before ? v - before : v;
        increases.merge(key, increase, Double::sum);
    }

    /** The summaries of the interval now ending, by series key; the next interval starts empty. */
    public Map<String, Summary> close() {
        Map<String, Summary> out = new LinkedHashMap<>();
        gauges.forEach((k, g) -> out.put(k, new Summary(Housekeeping.Kind.GAUGE,
                new Housekeeping.Cell(g.min, g.max, g.sum / g.n, g.last))));
        increases.forEach((k, inc) -> out.put(k, new Summary(Housekeeping.Kind.COUNTER, Housekeeping.Cell.flat(inc))));
        gauges.clear();
        increases.clear();
        return out;
    }

    /**
     * Forgets every counter's baseline: after a span in which nothing was scraped (a gap), the next value starts a
     * new baseline rather than crediting the gap's increase to one interval.
     */
    public void forgetBaselines() {
        lastCounter.clear();
    }

    /** The series key of a sample: its name and labels as Prometheus writes them, {@code name{a="x",b="y"}}. */
    static String key(Sample s) {
        if (s.labelNames().isEmpty()) return s.name();
        StringBuilder b = new StringBuilder(s.name()).append('{');
        for (int i = 0; i < s.labelNames().size(); i++) {
            if (i > 0) b.append(',');
            b.append(s.labelNames().get(i)).append("=\"")
                    .append(s.labelValues().get(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        }
        return b.append('}').toString();
    }
}
