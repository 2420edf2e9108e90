package io.orchide.ground.series;

import java.util.ArrayList;
import java.util.List;

/**
 * A series key as a node's housekeeping names it, {@code name{label="value",...}} (Prometheus' notation), taken
 * apart into its name and labels. A key that is not in that notation is refused naming the key.
 */
record SeriesKey(String name, List<String> labelNames, List<String> labelValues) {
    static SeriesKey parse(String key) {
        int brace = key.indexOf('{');
        if (brace < 0) return new SeriesKey(key, List.of(), List.of());
        if (!key.endsWith("}")) throw new IllegalArgumentException("series key '" + key + "': no closing }");
        List<String> names = new ArrayList<>(), values = new ArrayList<>();
        int i = brace + 1, end = key.length() - 1;
        while (i < end) {
            int eq = key.indexOf("=\"", i);
            if (eq < 0) throw new IllegalArgumentException("series key '" + key + "': a label without =\"value\"");
            names.add(key.substring(i, eq));
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < end; j++) {
                char ch = key.charAt(j);
                if (ch == '\\' && j + 1 < end) {
                    char n = key.charAt(++j);
                    v.append(n == 'n' ? '\n' : n);
                } else if (ch == '"') {
                    break;
                } else {
                    v.append(ch);
                }
            }
            if (j >= end) throw new IllegalArgumentException("series key '" + key + "': a label value is not closed");
            values.add(v.toString());
            i = j + 1;
            if (i < end && key.charAt(i) == ',') i++;
        }
        return new SeriesKey(key.substring(0, brace), names, values);
    }
}
