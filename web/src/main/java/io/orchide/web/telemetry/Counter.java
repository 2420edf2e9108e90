package io.orchide.web.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A count that only goes up, per label set, kept by the code that counts ({@link #inc}). Its name ends in
 * {@code _total}. A label set is shown from its first increment on.
 */
public final class Counter implements Collector {
    private final String name;
    private final String help;
    private final Series<DoubleAdder> series;

    public Counter(String name, String help, String... labelNames) {
        MetricFamily.checkName(name, MetricType.COUNTER);
        this.name = name;
        this.help = help;
        this.series = new Series<>(name, MetricFamily.checkLabels(name, MetricType.COUNTER, labelNames), DoubleAdder::new);
    }

    /** Adds one to the count of {@code labelValues} (one per label name, in order). */
    public void inc(String... labelValues) {
        inc(1, labelValues);
    }

    /** Adds {@code amount} (zero or more) to the count of {@code labelValues}. */
    public void inc(double amount, String... labelValues) {
        if (!(amount >= 0)) throw new IllegalArgumentException("amount " + amount + " added to counter " + name + ": must be 0 or more");
        DoubleAdder a = series.of(labelValues);
        if (a != null) a.add(amount);
    }

    /** The count of {@code labelValues} so far (0 when none). */
    public double value(String... labelValues) {
        DoubleAdder a = series.children().get(List.of(labelValues));
        return a == null ? 0 : a.sum();
    }

    @Override
    public List<MetricFamily> collect() {
        List<Sample> samples = new ArrayList<>();
        for (Map.Entry<List<String>, DoubleAdder> e : series.children().entrySet()) {
            samples.add(new Sample(name, series.labelNames(), e.getKey(), e.getValue().sum()));
        }
        return List.of(new MetricFamily(name, help, MetricType.COUNTER, samples));
    }
}
