package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** The tables of what ground lists: satellites, and a satellite's last-known workloads, runs, products and events. */
final class GroundTables {
    private GroundTables() {
    }

    /**
     * NAME NODES LAST CONTACT UPLINK QUEUE DOWNLINK QUEUE. LAST CONTACT is {@code connected for 25s} while a session
     * is up, the end of the last one otherwise. The uplink queue is ground's own, as of now; the downlink queue is the
     * node's, as it reported it when its last session began, so it is shown with its age.
     */
    static Table satellites(JsonNode items, Instant now) {
        Table t = new Table("NAME", "NODES", "LAST CONTACT", "UPLINK QUEUE", "DOWNLINK QUEUE");
        for (JsonNode s : items) {
            JsonNode up = s.path("uplinkQueue");
            JsonNode down = s.path("downlinkQueue");
            String contact = s.path("connected").asBoolean()
                    ? "connected for " + Table.age(s.path("connectedSince"), now) : ago(s.path("lastContact"), now);
            String downlink = queue(down.path("bundles"), down.path("bytes"));
            if (!downlink.equals("-")) downlink += ", " + ago(down.path("asOf"), now);
            t.row(s.path("name").asText(), s.path("nodes").size(), contact, queue(up.path("bundles"), up.path("bytes")),
                    downlink);
        }
        return t;
    }

    /** NAME NODE STATE RESTARTS SINCE REPORTED: the state as of the report, and how old that report is. */
    static Table workloads(JsonNode items, Instant now) {
        Table t = new Table("NAME", "NODE", "STATE", "RESTARTS", "SINCE", "REPORTED");
        for (JsonNode w : items) {
            t.row(w.path("name").asText(), Table.text(w.path("node")), w.path("state").asText(),
                    Table.text(w.path("restarts")), Table.age(w.path("since"), now), ago(w.path("reportedAt"), now));
        }
        return t;
    }

    /** RUN PIPELINE STATE AT MESSAGE. */
    static Table runs(JsonNode items, Instant now) {
        Table t = new Table("RUN", "PIPELINE", "STATE", "AT", "MESSAGE");
        for (JsonNode r : items) {
            t.row(r.path("name").asText(), r.path("pipeline").asText(), r.path("state").asText(),
                    ago(r.path("at"), now), Table.text(r.path("message")));
        }
        return t;
    }

    /** ID SATELLITE RUN STEP NAME SIZE PRIORITY RECEIVED. */
    static Table products(JsonNode items, Instant now) {
        Table t = new Table("ID", "SATELLITE", "RUN", "STEP", "NAME", "SIZE", "PRIORITY", "RECEIVED");
        for (JsonNode p : items) {
            t.row(p.path("id").asText(), p.path("satellite").asText(), p.path("run").asText(),
                    RunTable.stepInstance(p), p.path("name").asText(), ProductTable.size(p.path("size")),
                    Table.text(p.path("priority")), ago(p.path("received"), now));
        }
        return t;
    }

    /**
     * AT NODE SUBJECT MESSAGE, newest first: the time is the node's own (a satellite's clock, or a twin's simulated
     * one), printed as it is rather than as an age.
     */
    static Table events(JsonNode items) {
        Table t = new Table("AT", "NODE", "SUBJECT", "MESSAGE");
        for (JsonNode e : items) {
            t.row(e.path("at").asText(), e.path("node").asText(), e.path("subject").asText(), e.path("message").asText());
        }
        return t;
    }

    private static String ago(JsonNode at, Instant now) {
        String a = Table.age(at, now);
        return a.equals("-") ? "never" : a + " ago";
    }

    private static String queue(JsonNode bundles, JsonNode bytes) {
        if (!bundles.isNumber()) return "-";
        return bundles.asLong() + " (" + ProductTable.size(bytes) + ")";
    }
}
