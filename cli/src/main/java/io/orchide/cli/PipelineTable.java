package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code get pipelines}: NAME PRIORITY TRIGGERS STEPS QUEUED RUNNING DONE AGE (wide: DEADLINE, CONCURRENCY,
 * LAST RUN). DONE counts the runs that ended, however they ended.
 */
final class PipelineTable {
    private PipelineTable() {
    }

    static Table of(JsonNode items, boolean wide, Instant now) {
        List<String> header = new ArrayList<>(List.of("NAME", "PRIORITY", "TRIGGERS", "STEPS", "QUEUED", "RUNNING",
                "DONE", "AGE"));
        if (wide) header.addAll(List.of("DEADLINE", "CONCURRENCY", "LAST RUN"));
        Table t = new Table(header.toArray(String[]::new));
        for (JsonNode p : items) {
            JsonNode runs = p.path("runs");
            List<Object> row = new ArrayList<>(List.of(p.path("name").asText(), Table.text(p.path("priority")),
                    triggers(p), p.path("steps").size(), runs.path("queued").asInt(), runs.path("running").asInt(),
                    done(runs), Table.age(p.path("createdAt"), now)));
            if (wide) {
                row.addAll(List.of(Table.text(p.path("deadline")), Table.text(p.path("concurrency")),
                        Table.text(p.path("lastRun"))));
            }
            t.row(row.toArray());
        }
        return t;
    }

    static String triggers(JsonNode p) {
        List<String> ts = new ArrayList<>();
        for (JsonNode t : p.path("triggers")) ts.add(t.asText());
        return ts.isEmpty() ? "-" : String.join(", ", ts);
    }

    static int done(JsonNode runs) {
        return runs.path("succeeded").asInt() + runs.path("failed").asInt() + runs.path("cancelled").asInt()
                + runs.path("expired").asInt();
    }
}
