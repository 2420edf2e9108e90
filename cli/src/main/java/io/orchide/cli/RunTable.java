package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code get runs}: RUN PIPELINE PRIORITY STATE STEP AGE (wide: TRIGGER, REASON); STEP = the steps running now. */
final class RunTable {
    private RunTable() {
    }

    static Table of(JsonNode items, boolean wide, Instant now) {
        Table t = wide ? new Table("RUN", "PIPELINE", "PRIORITY", "STATE", "STEP", "AGE", "TRIGGER", "REASON")
                : new Table("RUN", "PIPELINE", "PRIORITY", "STATE", "STEP", "AGE");
        for (JsonNode r : items) {
            List<Object> row = new ArrayList<>(List.of(r.path("name").asText(), r.path("pipeline").asText(),
                    Table.text(r.path("priority")), r.path("state").asText(), runningSteps(r),
                    Table.age(r.path("createdAt"), now)));
            if (wide) row.addAll(List.of(trigger(r.path("trigger")), Table.text(r.path("reason"))));
            t.row(row.toArray());
        }
        return t;
    }

    static String runningSteps(JsonNode r) {
        List<String> steps = new ArrayList<>();
        for (JsonNode s : r.path("steps")) steps.add(s.asText());
        return steps.isEmpty() ? "-" : String.join(",", steps);
    }

    /** {@code onData: camera/a.pgm}, or the kind alone when there is no detail. */
    static String trigger(JsonNode t) {
        String kind = Table.text(t.path("kind"));
        return t.hasNonNull("detail") ? kind + ": " + t.get("detail").asText() : kind;
    }

    /** A step instance as {@code detect[3]} (an item of a forEach step) or {@code detect}. */
    static String stepInstance(JsonNode s) {
        return s.path("step").asText() + (s.hasNonNull("item") ? "[" + s.get("item").asText() + "]" : "");
    }
}
