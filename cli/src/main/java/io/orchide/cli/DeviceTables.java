package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code get devices}: NAME CLASS STATE LEASED-BY ROLE (the GNSS receiver the node's position comes from is its
 * {@code position source}); {@code describe device NAME}: its twin, grants and lease.
 */
final class DeviceTables {
    private DeviceTables() {
    }

    static Table devices(JsonNode items) {
        Table t = new Table("NAME", "CLASS", "STATE", "LEASED-BY", "ROLE");
        for (JsonNode d : items) {
            t.row(d.path("name").asText(), d.path("class").asText(), d.path("state").asText(),
                    d.path("leasedBy").asText("-"), role(d));
        }
        return t;
    }

    /** A satellite's devices as ground last heard of them: NODE NAME CLASS STATE LEASED-BY REPORTED. */
    static Table reported(JsonNode items, java.time.Instant now) {
        Table t = new Table("NODE", "NAME", "CLASS", "STATE", "LEASED-BY", "REPORTED");
        for (JsonNode d : items) {
            t.row(d.path("node").asText(), d.path("name").asText(), d.path("class").asText(), d.path("state").asText(),
                    d.path("leasedBy").asText("-"), Table.age(d.path("reportedAt"), now) + " ago");
        }
        return t;
    }

    private static String role(JsonNode d) {
        return d.path("positionSource").asBoolean() ? "position source" : "-";
    }

    static void describe(JsonNode d, PrintStream o) {
        Fields f = new Fields(o, "").field("Name", d.path("name").asText())
                .field("Class", d.path("class").asText())
                .field("State", d.path("state").asText())
                .field("Path", d.path("path").asText("-"))
                .field("Source", d.path("source").asText())
                .field("Held by", d.path("leasedBy").asText("-"));
        if (d.path("positionSource").asBoolean()) {
            f.field("Role", "position source (the node's position comes from this receiver's fixes; get devices shows it)");
        }
        o.println("Properties:");
        Set<String> keys = new TreeSet<>();
        d.path("desired").fieldNames().forEachRemaining(keys::add);
        d.path("reported").fieldNames().forEachRemaining(keys::add);
        if (keys.isEmpty()) {
            o.println("  (none)");
        } else {
            Table p = new Table("  NAME", "DESIRED", "REPORTED", "");
            for (String k : keys) {
                p.row("  " + k, d.path("desired").path(k).asText("-"), d.path("reported").path(k).asText("-"),
                        d.path("pending").has(k) ? "pending" : "");
            }
            p.print(o);
        }
        o.println("Grants:");
        if (d.path("grants").isEmpty()) {
            o.println("  (none: every request is refused)");
        } else {
            Table g = new Table("  NAME", "TENANT", "FOR", "VERBS", "WINDOWS", "QUOTA", "USE (ORBIT/DAY)", "RATE");
            for (JsonNode gr : d.path("grants")) {
                g.row("  " + gr.path("name").asText(), gr.path("tenant").asText(), who(gr), join(gr.path("verbs")),
                        windows(gr.path("windows")), quota(gr.path("quota")),
                        gr.path("use").path("thisOrbit").asText("0") + "/" + gr.path("use").path("today").asText("0"),
                        gr.has("rateLimit") ? gr.path("rateLimit").path("requests").asText() + "/"
                                + gr.path("rateLimit").path("per").asText() : "-");
            }
            g.print(o);
        }
        JsonNode lease = d.path("lease");
        o.println("Lease: " + (lease.isMissingNode() ? "free" : lease.path("holder").asText() + " (priority "
                + lease.path("priority").asText() + ", since " + lease.path("since").asText() + ")"));
        for (JsonNode w : d.path("waiting")) {
            o.println("  waiting: " + w.path("holder").asText() + " (priority " + w.path("priority").asText() + ")");
        }
    }

    static String who(JsonNode g) {
        List<String> out = new ArrayList<>();
        g.path("pipelines").forEach(p -> out.add("pipeline/" + p.asText()));
        g.path("apps").forEach(a -> out.add("app/" + a.asText()));
        return out.isEmpty() ? "(whole tenant)" : String.join(",", out);
    }

    static String windows(JsonNode w) {
        if (w.isMissingNode()) return "always";
        List<String> out = new ArrayList<>();
        if (w.has("utc")) out.add(join(w.path("utc")) + " UTC");
        JsonNode r = w.path("region");
        if (!r.isMissingNode()) {
            out.add("lat " + r.path("minLat").asText() + ".." + r.path("maxLat").asText() + " lon "
                    + r.path("minLon").asText() + ".." + r.path("maxLon").asText());
        }
        if (w.path("sunlight").asBoolean()) out.add("sunlit");
        return String.join("; ", out);
    }

    static String quota(JsonNode q) {
        if (q.isMissingNode()) return "-";
        List<String> out = new ArrayList<>();
        if (q.has("perOrbit")) out.add(q.path("perOrbit").asText() + "/orbit");
        if (q.has("perDay")) out.add(q.path("perDay").asText() + "/day");
        return String.join(", ", out);
    }

    static String join(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asText()));
        return String.join(",", out);
    }
}
