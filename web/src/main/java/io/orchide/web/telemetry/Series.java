package io.orchide.web.telemetry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The label sets of one metric and what each holds, at most {@link #MAX} of them: a metric is labelled only by
 * values that desired state or the code bounds, and this bound keeps a mistake from growing the agent's memory with
 * every new value. A label set past the bound is not kept (and said once in the log).
 */
final class Series<T> {
    static final int MAX = 2000;
    private static final System.Logger LOG = System.getLogger(Series.class.getName());

    private final String metric;
    private final List<String> labelNames;
    private final Supplier<T> make;
    private final Map<List<String>, T> children = new ConcurrentHashMap<>();
    private volatile boolean warned;

    Series(String metric, List<String> labelNames, Supplier<T> make) {
        this.metric = metric;
        this.labelNames = labelNames;
        this.make = make;
    }

    /** The child of {@code values}, made on first use; null past the bound. */
    T of(String... values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException("label values of " + metric + ": " + Arrays.toString(values)
                    + " for the labels " + labelNames);
        }
        for (String v : values) {
            if (v == null) throw new IllegalArgumentException("label values of " + metric + ": " + Arrays.toString(values) + " (null)");
        }
        List<String> key = List.of(values);
        T child = children.get(key);
        if (child != null) return child;
        if (children.size() >= MAX) {
            if (!warned) {
                warned = true;
                LOG.log(System.Logger.Level.WARNING, "metric {0} has {1} label sets already; {2} and later ones are not counted",
                        metric, MAX, key);
            }
            return null;
        }
        return children.computeIfAbsent(key, k -> make.get());
    }

    List<String> labelNames() { return labelNames; }

    Map<List<String>, T> children() { return children; }
}
