package io.orchide.web.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Observations counted in fixed buckets, per label set, as Prometheus histograms are shown: {@code _bucket} samples
 * with an upper bound {@code le}, cumulative, the last one {@code +Inf}; {@code _sum} and {@code _count}. Each
 * observation is counted in one bucket only and the cumulative counts are summed at scrape time, so that the
 * {@code +Inf} bucket and {@code _count} are always the same number.
 */
public final class Histogram implements Collector {
    /** Seconds, from 5 ms to 10 minutes: trigger latencies and step durations on board. */
    public static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600};

    private final String name;
    private final String help;
    private final double[] bounds;
    private final Series<Child> series;

    private final class Child {
        /** One count per bound, and the last for what is above every bound. */
        final AtomicLongArray counts = new AtomicLongArray(bounds.length + 1);
        final DoubleAdder sum = new DoubleAdder();
    }

    /** {@code bounds}: the buckets' upper bounds, finite and increasing; {@code +Inf} is added. */
    public Histogram(String name, String help, double[] bounds, String... labelNames) {
        MetricFamily.checkName(name, MetricType.HISTOGRAM);
        if (bounds.length == 0) throw new IllegalArgumentException("bounds of " + name + ": at least one");
        for (int i = 0; i < bounds.length; i++) {
            if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
                throw new IllegalArgumentException("bounds of " + name + ": " + Arrays.toString(bounds)
                        + " must be finite and increasing");
            }
        }
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.series = new Series<>(name, MetricFamily.checkLabels(name, MetricType.HISTOGRAM, labelNames), Child::new);
    }

    /** Counts {@code value} (NaN is not counted) in the histogram of {@code labelValues}. */
    public void observe(double value, String... labelValues) {
        if (Double.isNaN(value)) return;
        Child c = series.of(labelValues);
        if (c == null) return;
        int i = Arrays.binarySearch(bounds, value);
        // a value equal to a bound is in that bound's bucket (le: less than or equal)
        int bucket = i >= 0 ? i : -i - 1;
        c.counts.incrementAndGet(bucket);
        c.sum.add(value);
    }

    @Override
    public List<MetricFamily> collect() {
        List<Sample> samples = new ArrayList<>();
        List<String> names = series.labelNames();
        List<String> bucketNames = new ArrayList<>(names);
        bucketNames.add("le");
        for (Map.Entry<List<String>, Child> e : series.children().entrySet()) {
            Child c = e.getValue();
            long cumulative = 0;
            for (int b = 0; b <= bounds.length; b++) {
                cumulative += c.counts.get(b);
                List<String> values = new ArrayList<>(e.getKey());
                values.add(b < bounds.length ? TextFormat.number(bounds[b]) : "+Inf");
                samples.add(new Sample(name + "_bucket", bucketNames, values, cumulative));
            }
            samples.add(new Sample(name + "_sum", names, e.getKey(), c.sum.sum()));
            samples.add(new Sample(name + "_count", names, e.getKey(), cumulative));
        }
        return List.of(new MetricFamily(name, help, MetricType.HISTOGRAM, samples));
    }
}
