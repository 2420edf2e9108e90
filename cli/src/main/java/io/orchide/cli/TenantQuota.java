package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.List;

/** A tenant's ground quotas as ground reports them ({@code usage}): the table cells and {@code describe tenant}. */
final class TenantQuota {
    /** The ground quotas in the order they are shown, with their column titles. */
    static final List<String> KEYS = List.of("apps", "pipelines", "images", "uplink", "products");
    static final List<String> TITLES = List.of("APPS", "PIPELINES", "IMAGES", "UPLINK TODAY", "PRODUCTS");

    private TenantQuota() {
    }

    /** {@code used/limit} (or the use alone where there is no limit), {@code over} appended where it is exceeded. */
    static String cell(JsonNode usage, String key) {
        JsonNode u = usage.path(key);
        if (u.isMissingNode()) return "-";
        boolean counted = key.equals("apps") || key.equals("pipelines");
        String used = counted ? u.path("used").asText() : bytes(u.path("used").asLong());
        if (!u.hasNonNull("limit")) return used;
        String limit = counted ? u.path("limit").asText() : bytes(u.path("limit").asLong());
        return used + "/" + limit + (u.path("exceeded").asBoolean() ? " over" : "");
    }

    /** {@code describe tenant NAME}. */
    static void print(JsonNode t, PrintStream o) {
        String q = t.path("quota").asText("");
        new Fields(o, "").field("Name", t.path("name").asText())
                .field("Quota", q.isEmpty() ? "(none)" : q)
                .field("Created", Table.text(t.path("created")));
        o.println("Ground quotas (uplink: since 00:00 UTC):");
        Table table = new Table("  QUOTA", "USED", "LIMIT", "");
        JsonNode usage = t.path("usage");
        for (String k : KEYS) {
            JsonNode u = usage.path(k);
            boolean counted = k.equals("apps") || k.equals("pipelines");
            String used = counted ? u.path("used").asText("-") : bytes(u.path("used").asLong());
            String limit = !u.hasNonNull("limit") ? "none" : counted ? u.path("limit").asText() : bytes(u.path("limit").asLong());
            table.row("  " + k, used, limit, u.path("exceeded").asBoolean() ? "exceeded" : "");
        }
        table.print(o);
    }

    /** Bytes in the largest binary unit in which they are at least 1, to one decimal (none where it is 0). */
    static String bytes(long b) {
        String[] units = {"Ki", "Mi", "Gi", "Ti"};
        if (b < 1024) return Long.toString(b);
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        String n = String.format(java.util.Locale.ROOT, "%.1f", v);
        return (n.endsWith(".0") ? n.substring(0, n.length() - 2) : n) + units[i];
    }
}
