package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** The tables of what ground lists: satellites, and a satellite's last-known workloads, runs, products and events. */
final class GroundTables {
    private GroundTables() {
    }

    /**
     * NAME NODES LAST CONTACT NEXT PASS UPLINK QUEUE DOWNLINK QUEUE. LAST CONTACT is {@code connected for 25s} while a
     * session is up, the end of the last one otherwise. NEXT PASS is the next pass within 24 h over ground's stations
     * ({@code svalbard in 23m}, {@code svalbard now} while it is on), {@code -} without a TLE or a pass. The uplink queue
     * is ground's own, as of now, and with a next pass says whether it {@code fits} that pass's uplink capacity or is
     * {@code over next pass}; the downlink queue is the node's, as it reported it when its last session began, so it
     * is shown with its age. POSITION is where its node last said it was and how old that fix is now (which can be
     * older than the last contact), or {@code no fix}, {@code no source}, {@code not reported}; each node's in turn.
     */
    static Table satellites(JsonNode items, Instant now) {
        Table t = new Table("NAME", "NODES", "LAST CONTACT", "NEXT PASS", "UPLINK QUEUE", "DOWNLINK QUEUE", "POSITION");
        for (JsonNode s : items) {
            JsonNode up = s.path("uplinkQueue");
            JsonNode down = s.path("downlinkQueue");
            String contact = s.path("connected").asBoolean()
                    ? "connected for " + Table.age(s.path("connectedSince"), now) : ago(s.path("lastContact"), now);
            String downlink = queue(down.path("bundles"), down.path("bytes"));
            if (!downlink.equals("-")) downlink += ", " + ago(down.path("asOf"), now);
            String uplink = queue(up.path("bundles"), up.path("bytes"));
            if (up.path("fitsNextPass").isBoolean()) uplink += up.path("fitsNextPass").asBoolean() ? " fits" : " over next pass";
            t.row(s.path("name").asText(), s.path("nodes").size(), contact, nextPass(s.path("nextPass"), now),
                    uplink, downlink, PositionText.cell(s.path("positions")));
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
    /** NAME TENANT KEYS VERSION SEALED TO: a satellite's Secrets, never their values. */
    static Table secrets(JsonNode items) {
        Table t = new Table("NAME", "TENANT", "KEYS", "VERSION", "SEALED TO");
        for (JsonNode s : items) {
            java.util.List<String> keys = new java.util.ArrayList<>();
            s.path("keys").forEach(k -> keys.add(k.asText()));
            t.row(s.path("name").asText(), s.path("tenant").asText(), String.join(",", keys),
                    s.path("generation").asText(), s.path("sealedTo").size() + " node key(s)");
        }
        return t;
    }

    /** FINGERPRINT STATE ADDED BY REVOKED: a satellite's node keys. */
    static Table nodeKeys(JsonNode items) {
        Table t = new Table("FINGERPRINT", "STATE", "ADDED", "BY", "REVOKED");
        for (JsonNode k : items) {
            t.row(k.path("fingerprint").asText(), k.path("state").asText(), k.path("added").asText(),
                    k.path("addedBy").asText("-"), k.path("revoked").asText("-"));
        }
        return t;
    }

    static Table events(JsonNode items) {
        Table t = new Table("AT", "NODE", "SUBJECT", "MESSAGE");
        for (JsonNode e : items) {
            t.row(e.path("at").asText(), e.path("node").asText(), e.path("subject").asText(), e.path("message").asText());
        }
        return t;
    }

    /** STATION AOS LOS IN DURATION MAX ELEVATION UPLINK DOWNLINK: times in UTC, capacities from the station's rates. */
    static Table passes(JsonNode items, Instant now) {
        Table t = new Table("STATION", "AOS", "LOS", "IN", "DURATION", "MAX ELEVATION", "UPLINK", "DOWNLINK");
        for (JsonNode p : items) {
            Instant aos = Instant.parse(p.path("aos").asText());
            t.row(p.path("station").asText(), utc(aos), utc(Instant.parse(p.path("los").asText())),
                    startsIn(p), duration(p.path("durationSeconds").asLong()),
                    String.format(java.util.Locale.ROOT, "%.1f°", p.path("maxElevation").asDouble()),
                    ProductTable.size(p.path("uplinkBytes")), ProductTable.size(p.path("downlinkBytes")));
        }
        return t;
    }

    /** NAME LATITUDE LONGITUDE ALTITUDE MIN ELEVATION UPLINK RATE DOWNLINK RATE. */
    static Table stations(JsonNode items) {
        Table t = new Table("NAME", "LATITUDE", "LONGITUDE", "ALTITUDE", "MIN ELEVATION", "UPLINK RATE", "DOWNLINK RATE");
        for (JsonNode s : items) {
            t.row(s.path("name").asText(), s.path("latitude").asText(), s.path("longitude").asText(),
                    s.path("altitude").asText() + "m", s.path("minElevation").asText() + "°",
                    rate(s.path("uplinkRate").asLong()), rate(s.path("downlinkRate").asLong()));
        }
        return t;
    }

    /**
     * Ground's {@code delivery} of an apply as one line: {@code being delivered (in contact with svalbard)} while a
     * session is up; {@code delivered at the next pass: svalbard 10:01 UTC (in 23m), 1.2MiB of 18.0MiB capacity} when
     * the uplink queue (this change and what was queued before it) fits that pass; otherwise the pass by which the
     * following passes would carry it; {@code no pass known (no TLE for sat-1)} without a TLE, a station or a pass.
     */
    static String delivery(JsonNode d) {
        JsonNode next = d.path("nextPass");
        if (d.path("inContact").asBoolean()) {
            boolean on = next.isObject() && next.path("startsInSeconds").asLong() <= 0;
            return "being delivered (in contact " + (on ? "with " + next.path("station").asText() : "now") + ")";
        }
        if (!next.isObject()) return "no pass known (" + d.path("noPass").asText("no TLE or station") + ")";
        String queued = ProductTable.size(d.path("queuedBytes"));
        String capacity = ProductTable.size(d.path("capacityBytes"));
        if (d.path("fits").asBoolean()) {
            return "delivered at the next pass: " + next.path("station").asText() + " " + at(next) + ", " + queued + " of "
                    + capacity + " capacity";
        }
        String head = "the uplink queue (" + queued + ") exceeds the next pass (" + capacity + ", "
                + next.path("station").asText() + " " + at(next) + ")";
        JsonNode by = d.path("throughBy");
        return by.isObject() ? head + ": expected through by the pass of " + at(by)
                : head + " and the passes of the next 48h together";
    }

    /** A pass's AOS as a time of day in UTC and how soon it comes, or that it is on. */
    private static String at(JsonNode pass) {
        String in = startsIn(pass);
        String time = java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.parse(pass.path("aos").asText()));
        return time + " UTC (" + (in.equals("now") ? "on now" : "in " + in) + ")";
    }

    private static String nextPass(JsonNode pass, Instant now) {
        if (!pass.isObject()) return "-";
        String in = startsIn(pass);
        return pass.path("station").asText() + (in.equals("now") ? " now" : " in " + in);
    }

    /** How soon a pass starts, by ground's clock (a twin's ground runs a simulated one, so not this machine's). */
    private static String startsIn(JsonNode pass) {
        long s = pass.path("startsInSeconds").asLong();
        if (s <= 0) return "now";
        Instant zero = Instant.EPOCH;
        return Table.age(zero.toString(), zero.plusSeconds(s));
    }

    private static String utc(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC).format(t);
    }

    private static String duration(long seconds) {
        return seconds / 60 + "m" + String.format(java.util.Locale.ROOT, "%02ds", seconds % 60);
    }

    private static String rate(long bps) {
        if (bps >= 1_000_000 && bps % 1_000_000 == 0) return bps / 1_000_000 + "M";
        if (bps >= 1_000 && bps % 1_000 == 0) return bps / 1_000 + "k";
        return Long.toString(bps);
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
