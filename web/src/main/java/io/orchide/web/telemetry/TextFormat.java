package io.orchide.web.telemetry;

import java.util.List;

/**
 * The Prometheus text exposition format, version 0.0.4: per family a {@code # HELP} and a {@code # TYPE} line, then
 * its samples, {@code name{label="value",...} value}, one per line, with {@code \n} line ends. In help texts a
 * backslash and a line feed are escaped ({@code \\}, {@code \n}); in label values also the double quote ({@code \"}).
 */
public final class TextFormat {
    /** The {@code Content-Type} of a scrape's answer. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private TextFormat() {
    }

    public static String write(List<MetricFamily> families) {
        StringBuilder out = new StringBuilder(4096);
        for (MetricFamily f : families) {
            out.append("# HELP ").append(f.name()).append(' ').append(escape(f.help(), false)).append('\n');
            out.append("# TYPE ").append(f.name()).append(' ').append(f.type().wire()).append('\n');
            for (Sample s : f.samples()) {
                out.append(s.name());
                if (!s.labelNames().isEmpty()) {
                    out.append('{');
                    for (int i = 0; i < s.labelNames().size(); i++) {
                        if (i > 0) out.append(',');
                        out.append(s.labelNames().get(i)).append("=\"").append(escape(s.labelValues().get(i), true)).append('"');
                    }
                    out.append('}');
                }
                out.append(' ').append(number(s.value()));
                if (s.at() != null) out.append(' ').append(s.at().toEpochMilli());
                out.append('\n');
            }
        }
        return out.toString();
    }

    static String escape(String s, boolean quote) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '"' -> quote ? "\\\"" : null;
                default -> null;
            };
            if (r == null) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            b.append(r);
        }
        return b == null ? s : b.toString();
    }

    /** A value as Prometheus parses it: whole numbers without a fraction, {@code +Inf}, {@code -Inf}, {@code NaN}. */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
