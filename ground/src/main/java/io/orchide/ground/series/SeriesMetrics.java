package io.orchide.ground.series;

import io.orchide.model.message.Housekeeping;
import io.orchide.web.telemetry.Collector;
import io.orchide.web.telemetry.MetricFamily;
import io.orchide.web.telemetry.MetricType;
import io.orchide.web.telemetry.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every satellite's last housekeeping on ground's {@code /metrics}, with {@code satellite} and {@code node} labels
 * and the time each value was measured on board. A node's metric {@code orchide_X} (or any other {@code X}) shows as
 * the gauge {@code orchide_satellite_X}, its last value in the interval; a counter {@code X_total}, which
 * housekeeping carries as increases, as {@code orchide_satellite_X_increase}, its increase over the interval ending
 * at that time. The prefix keeps them apart from ground's own metrics of the same names ({@code process_*}). A
 * label of the node's named {@code satellite} or {@code node} shows as {@code exported_satellite} or
 * {@code exported_node}.
 */
public final class SeriesMetrics implements Collector {
    private static final System.Logger LOG = System.getLogger(SeriesMetrics.class.getName());
    private final SeriesStore store;

    public SeriesMetrics(SeriesStore store) {
        this.store = store;
    }

    static String familyName(String metric, Housekeeping.Kind kind) {
        String base = metric.startsWith("orchide_") ? metric.substring("orchide_".length()) : metric;
        if (kind == Housekeeping.Kind.COUNTER) {
            base = (base.endsWith("_total") ? base.substring(0, base.length() - "_total".length()) : base) + "_increase";
        }
        return "orchide_satellite_" + base;
    }

    @Override
    public List<MetricFamily> collect() {
        Map<String, List<Sample>> families = new LinkedHashMap<>();
        Map<String, Housekeeping.Kind> kinds = new LinkedHashMap<>();
        for (SeriesStore.Latest l : store.latest()) {
            SeriesKey key;
            try {
                key = SeriesKey.parse(l.metric());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.DEBUG, e.getMessage());
                continue;
            }
            String name = familyName(key.name(), l.kind());
            List<String> names = new ArrayList<>(List.of("satellite", "node"));
            List<String> values = new ArrayList<>(List.of(l.satellite(), l.node()));
            for (int i = 0; i < key.labelNames().size(); i++) {
                String n = key.labelNames().get(i);
                names.add(n.equals("satellite") || n.equals("node") ? "exported_" + n : n);
                values.add(key.labelValues().get(i));
            }
            families.computeIfAbsent(name, k -> new ArrayList<>()).add(new Sample(name, names, values, l.last(), l.t()));
            kinds.put(name, l.kind());
        }
        List<MetricFamily> out = new ArrayList<>();
        families.forEach((name, samples) -> {
            try {
                out.add(new MetricFamily(name, kinds.get(name) == Housekeeping.Kind.COUNTER
                        ? "Increase over the last housekeeping interval of a satellite node's counter."
                        : "Last value in the last housekeeping interval of a satellite node's gauge.", MetricType.GAUGE, samples));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.DEBUG, "housekeeping series left out of /metrics: " + e.getMessage());
            }
        });
        return out;
    }
}
