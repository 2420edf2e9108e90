package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Instant;

/**
 * {@code describe satellite NAME}: its contact, queues and next pass, its nodes, and where each node last said it was:
 * the fix with how old it is now (a satellite out of contact for hours shows a fix hours old), or why there is none.
 */
final class SatelliteDescription {
    private SatelliteDescription() {
    }

    static void print(JsonNode s, Instant now, PrintStream o) {
        Fields f = new Fields(o, "").field("Name", s.path("name").asText());
        if (s.path("connected").asBoolean()) {
            f.field("Contact", "connected for " + PositionText.age(s.path("connectedSeconds").asLong()));
        } else {
            f.field("Last contact", s.path("lastContact").isTextual() ? s.path("lastContact").asText() + " ("
                    + PositionText.age(s.path("contactAgeSeconds").asLong()) + " ago)" : "never");
        }
        JsonNode pass = s.path("nextPass");
        f.field("Next pass", pass.isObject() ? pass.path("station").asText() + " at " + pass.path("aos").asText() : "-");
        f.field("Uplink", s.path("uplinkQueue").path("bundles").asText("0") + " bundle(s), "
                + ProductTable.size(s.path("uplinkQueue").path("bytes")));
        JsonNode down = s.path("downlinkQueue");
        f.field("Downlink", down.path("bundles").isNumber() ? down.path("bundles").asText() + " bundle(s), "
                + ProductTable.size(down.path("bytes")) + " as of " + down.path("asOf").asText() : "-");
        o.println("Nodes:");
        if (s.path("nodes").isEmpty()) {
            o.println("  (none: no node has been in contact)");
        } else {
            Table t = new Table("  NAME", "ARCH", "VCPUS", "MEMORY", "VERSION", "LAST SEEN");
            for (JsonNode n : s.path("nodes")) {
                t.row("  " + n.path("name").asText(), n.path("arch").asText("-"), n.path("vcpus").asText("-"),
                        n.has("memoryMib") ? n.path("memoryMib").asText() + "Mi" : "-", n.path("version").asText("-"),
                        Table.age(n.path("lastSeen"), now) + " ago");
            }
            t.print(o);
        }
        o.println("Position:");
        if (s.path("positions").isEmpty()) o.println("  (none reported)");
        for (JsonNode p : s.path("positions")) o.println("  " + p.path("node").asText() + ": " + PositionText.full(p));
    }
}
