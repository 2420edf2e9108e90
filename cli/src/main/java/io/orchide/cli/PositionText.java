package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A node's position as the CLI writes it, from the node's {@code position} or one of ground's {@code positions}: the
 * fix as latitude and longitude with its age (by the answering server's clock, which a twin runs faster), or why
 * there is none.
 */
final class PositionText {
    private PositionText() {
    }

    /** For a table cell: {@code 48.12N 11.52E 3m old}, or {@code no fix}, {@code no source}, {@code not reported}. */
    static String brief(JsonNode p) {
        JsonNode fix = p.path("fix");
        if (fix.isObject()) return coordinates(fix, 2) + " " + age(fix.path("ageSeconds").asLong()) + " old";
        if (!p.has("source")) return "not reported";
        return p.path("source").asText().equals("none") ? "no source" : "no fix";
    }

    /** A satellite's nodes' positions in one cell: the one node's, or each node's after its name. */
    static String cell(JsonNode positions) {
        if (positions.isEmpty()) return "-";
        if (positions.size() == 1) return brief(positions.get(0));
        List<String> out = new ArrayList<>();
        positions.forEach(p -> out.add(p.path("node").asText() + ": " + brief(p)));
        return String.join("; ", out);
    }

    /**
     * In full: {@code 48.1173N 11.5167E, 545 m, fix of TIME (3m old) from gnss gnss-1}, or {@code none: REASON}, then
     * the source.
     */
    static String full(JsonNode p) {
        JsonNode fix = p.path("fix");
        String where = fix.isObject()
                ? coordinates(fix, 4) + String.format(Locale.ROOT, ", %.0f m, fix of %s (%s old) from %s",
                        fix.path("altitudeM").asDouble(), fix.path("time").asText(),
                        age(fix.path("ageSeconds").asLong()), fix.path("from").asText("-"))
                : "none: " + p.path("reason").asText("-");
        return p.has("source") ? where + "; source: " + p.path("source").asText() : where;
    }

    /** A {@code POSITION} line per node of ground's {@code positions}, or the node's own {@code position}. */
    static void lines(JsonNode positions, PrintStream out) {
        if (positions.isObject()) {
            out.println("POSITION: " + full(positions));
            return;
        }
        for (JsonNode p : positions) out.println("POSITION " + p.path("node").asText() + ": " + full(p));
    }

    private static String coordinates(JsonNode fix, int decimals) {
        double lat = fix.path("latitudeDeg").asDouble(), lon = fix.path("longitudeDeg").asDouble();
        String f = "%." + decimals + "f%s %." + decimals + "f%s";
        return String.format(Locale.ROOT, f, Math.abs(lat), lat < 0 ? "S" : "N", Math.abs(lon), lon < 0 ? "W" : "E");
    }

    /** kubectl-style: 42s, 5m, 3h, 2d. */
    static String age(long seconds) {
        long s = Math.max(0, seconds);
        if (s < 120) return s + "s";
        if (s < 7200) return s / 60 + "m";
        if (s < 172800) return s / 3600 + "h";
        return s / 86400 + "d";
    }
}
