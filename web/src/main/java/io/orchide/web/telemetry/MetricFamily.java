package io.orchide.web.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One metric as a scrape shows it: its name, help, type and samples. Names and label names are checked here, so
 * that a family that would make the exposition invalid is never built: a counter's name ends in {@code _total}
 * (Prometheus' convention), a label name is not reserved ({@code __...}, and {@code le} outside histograms).
 */
public record MetricFamily(String name, String help, MetricType type, List<Sample> samples) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public MetricFamily {
        checkName(name, type);
        if (help == null || help.isBlank()) throw new IllegalArgumentException("help of " + name + ": must say what it counts");
        samples = List.copyOf(samples);
    }

    static void checkName(String name, MetricType type) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "': must match " + NAME.pattern());
        }
        if (type == MetricType.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("metric name '" + name + "': a counter's name ends in _total");
        }
        if (type != MetricType.COUNTER && name.endsWith("_total")) {
            throw new IllegalArgumentException("metric name '" + name + "': only a counter's name ends in _total");
        }
    }

    static List<String> checkLabels(String metric, MetricType type, String... names) {
        for (String l : names) {
            if (l == null || !LABEL.matcher(l).matches() || l.startsWith("__")) {
                throw new IllegalArgumentException("label name '" + l + "' of " + metric + ": must match "
                        + LABEL.pattern() + " and not start with __");
            }
            if (type == MetricType.HISTOGRAM && l.equals("le")) {
                throw new IllegalArgumentException("label name 'le' of " + metric + ": a histogram's buckets use it");
            }
        }
        List<String> list = List.of(names);
        if (list.stream().distinct().count() != list.size()) {
            throw new IllegalArgumentException("label names of " + metric + ": " + list + " name a label twice");
        }
        return list;
    }

    /** A gauge whose samples a collector adds at scrape time. */
    public static Builder gauge(String name, String help, String... labelNames) {
        return new Builder(name, help, MetricType.GAUGE, labelNames);
    }

    /** A counter whose values a collector reads at scrape time from a count kept elsewhere (never decreasing). */
    public static Builder counter(String name, String help, String... labelNames) {
        return new Builder(name, help, MetricType.COUNTER, labelNames);
    }

    /** Builds a family sample by sample, each with one value per label name, in order. */
    public static final class Builder {
        private final String name;
        private final String help;
        private final MetricType type;
        private final List<String> labels;
        private final List<Sample> samples = new ArrayList<>();

        private Builder(String name, String help, MetricType type, String... labelNames) {
            checkName(name, type);
            this.name = name;
            this.help = help;
            this.type = type;
            this.labels = checkLabels(name, type, labelNames);
        }

        public Builder add(double value, String... labelValues) {
            if (labelValues.length != labels.size()) {
                throw new IllegalArgumentException("label values of " + name + ": " + Arrays.toString(labelValues)
                        + " for the labels " + labels);
            }
            if (type == MetricType.COUNTER && !(value >= 0)) {
                throw new IllegalArgumentException("value " + value + " of counter " + name + ": must be 0 or more");
            }
            samples.add(new Sample(name, labels, List.of(labelValues), value));
            return this;
        }

        /** A sample measured at {@code at} rather than at the scrape. */
        public Builder addAt(java.time.Instant at, double value, String... labelValues) {
            add(value, labelValues);
            Sample s = samples.removeLast();
            samples.add(new Sample(s.name(), s.labelNames(), s.labelValues(), s.value(), at));
            return this;
        }

        public MetricFamily build() {
            return new MetricFamily(name, help, type, samples);
        }
    }
}
