package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** {@code get workloads}: NAME FAMILY MONITOR STATE RESTARTS AGE (wide: ARCH, PID, MESSAGE). */
final class WorkloadTable {
    private WorkloadTable() {
    }

    static Table of(JsonNode items, boolean wide, Instant now) {
        Table t = wide
                ? new Table("NAME", "FAMILY", "MONITOR", "ARCH", "STATE", "RESTARTS", "AGE", "PID", "MESSAGE")
                : new Table("NAME", "FAMILY", "MONITOR", "STATE", "RESTARTS", "AGE");
        for (JsonNode w : items) {
            if (wide) {
                t.row(w.path("name").asText(), w.path("family").asText("-"), w.path("monitor").asText("-"),
                        w.path("arch").asText("-"), w.path("state").asText(), w.path("restarts").asInt(),
                        Table.age(w.path("created").asText(), now), w.path("pid").asText("-"),
                        w.path("message").asText());
            } else {
                t.row(w.path("name").asText(), w.path("family").asText("-"), w.path("monitor").asText("-"),
                        w.path("state").asText(), w.path("restarts").asInt(), Table.age(w.path("created").asText(), now));
            }
        }
        return t;
    }
}
