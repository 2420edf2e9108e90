package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;

/**
 * {@code get devicegrants [NAME]}: the grants a node applied (its local API), or those in a satellite's desired state
 * on ground (with the generation ground sent and whether the link has it: {@code queued}). Both read as one shape:
 * name, tenant and the grant's spec fields.
 */
final class DeviceGrants {
    private DeviceGrants() {
    }

    /** Prints the grants of the node ({@code satelliteBase} null) or of the satellite at {@code satelliteBase}. */
    static void print(ApiClient api, String satelliteBase, String satellite, String name, boolean json, PrintStream out) {
        if (name != null) Resources.name(name);
        ArrayNode items = ApiClient.JSON.createArrayNode();
        if (satelliteBase == null) {
            for (JsonNode g : api.get("/api/v1/devicegrants").path("items")) {
                if (name == null || g.path("name").asText().equals(name)) items.add(g);
            }
        } else {
            for (JsonNode d : api.get(satelliteBase + "/desired").path("items")) {
                if (!d.path("kind").asText().equals("DeviceGrant")) continue;
                if (name != null && !d.path("name").asText().equals(name)) continue;
                items.add(fromDesired(d));
            }
        }
        if (name != null && items.isEmpty()) {
            throw new CliException("no device grant " + name + (satellite == null ? " on this node"
                    : " in the desired state of " + satellite));
        }
        if (json) {
            Printer.json(out, name == null ? items : items.get(0));
            return;
        }
        table(items, satelliteBase != null).print(out);
    }

    /** A desired-state item of ground as the node shows a grant, with ground's generation and whether the link has it. */
    static ObjectNode fromDesired(JsonNode d) {
        ObjectNode o = ApiClient.JSON.createObjectNode();
        o.put("name", d.path("name").asText()).put("tenant", d.path("tenant").asText());
        JsonNode spec = d.path("manifest").path("spec");
        if (spec.isObject()) o.setAll((ObjectNode) spec);
        o.put("generation", d.path("generation").asInt()).put("queued", d.path("queued").asBoolean());
        return o;
    }

    /** NAME TENANT DEVICE FOR VERBS WINDOWS QUOTA RATE, and on ground the GENERATION ground sent. */
    static Table table(JsonNode items, boolean ground) {
        Table t = ground ? new Table("NAME", "TENANT", "DEVICE", "FOR", "VERBS", "WINDOWS", "QUOTA", "RATE", "GENERATION")
                : new Table("NAME", "TENANT", "DEVICE", "FOR", "VERBS", "WINDOWS", "QUOTA", "RATE");
        for (JsonNode g : items) {
            String rate = g.has("rateLimit") ? g.path("rateLimit").path("requests").asText() + "/"
                    + g.path("rateLimit").path("per").asText() : "-";
            String[] cells = {g.path("name").asText(), g.path("tenant").asText(), g.path("device").asText(),
                    DeviceTables.who(g), DeviceTables.join(g.path("verbs")), DeviceTables.windows(g.path("windows")),
                    DeviceTables.quota(g.path("quota")), rate};
            if (ground) {
                t.row(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7],
                        g.path("generation").asText());
            } else {
                t.row(cells);
            }
        }
        return t;
    }
}
