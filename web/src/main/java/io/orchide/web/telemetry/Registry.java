package io.orchide.web.telemetry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The metrics of one process, in the order they were registered. A scrape asks every collector; one that fails (the
 * database it reads is away) is left out of that scrape and logged, the others are shown. Two families of one name
 * are never shown: the later one is left out and logged, since Prometheus would refuse the whole scrape.
 */
public final class Registry {
    private static final System.Logger LOG = System.getLogger(Registry.class.getName());

    private final List<Collector> collectors = new CopyOnWriteArrayList<>();

    public <C extends Collector> C register(C c) {
        collectors.add(c);
        return c;
    }

    public Counter counter(String name, String help, String... labelNames) {
        return register(new Counter(name, help, labelNames));
    }

    public Histogram histogram(String name, String help, double[] bounds, String... labelNames) {
        return register(new Histogram(name, help, bounds, labelNames));
    }

    public List<MetricFamily> collect() {
        List<MetricFamily> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Collector c : collectors) {
            List<MetricFamily> got;
            try {
                got = c.collect();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "metrics of " + c + " left out of this scrape: " + e);
                continue;
            }
            for (MetricFamily f : got) {
                if (names.add(f.name())) out.add(f);
                else LOG.log(System.Logger.Level.WARNING, "metric {0} is registered twice: the second is not shown", f.name());
            }
        }
        return out;
    }

    /** Every metric in the text format. */
    public String scrape() {
        return TextFormat.write(collect());
    }
}
