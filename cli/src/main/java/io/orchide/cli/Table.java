package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with left-aligned columns, as kubectl prints them. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) { rows.add(header); }

    Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = cells[i] == null ? "-" : cells[i].toString();
        rows.add(r);
        return this;
    }

    void print(PrintStream out) {
        int cols = rows.getFirst().length;
        int[] w = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                b.append(r[i]);
                if (i < cols - 1) b.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            out.println(b.toString().stripTrailing());
        }
    }

    /** The age of a JSON instant field; "-" when it is missing or null. */
    static String age(JsonNode isoInstant, Instant now) {
        return age(isoInstant.isTextual() ? isoInstant.asText() : null, now);
    }

    /** A JSON field as a cell: "-" when it is missing or null. */
    static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : n.asText();
    }

    /** kubectl-style age: 42s, 5m, 3h, 2d. */
    static String age(String isoInstant, Instant now) {
        if (isoInstant == null || isoInstant.isEmpty()) return "-";
        Duration d = Duration.between(Instant.parse(isoInstant), now);
        long s = Math.max(0, d.toSeconds());
        if (s < 120) return s + "s";
        if (s < 7200) return s / 60 + "m";
        if (s < 172800) return s / 3600 + "h";
        return s / 86400 + "d";
    }
}
