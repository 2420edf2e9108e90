package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;

/** {@code describe run NAME}: the run, one block per step instance, then its products with their lineage. */
final class RunDescription {
    private RunDescription() {
    }

    static void print(JsonNode r, PrintStream o) {
        Fields f = new Fields(o, "");
        String priority = Table.text(r.path("priority"));
        if (r.hasNonNull("effectivePriority") && !r.get("effectivePriority").asText().equals(priority)) {
            priority += " (effective " + r.get("effectivePriority").asText() + ")";
        }
        f.field("Name", r.path("name").asText() + (r.has("id") ? " (id " + r.path("id").asText() + ")" : ""))
                .field("Pipeline", r.path("pipeline").asText())
                .field("State", r.path("state").asText() + (r.hasNonNull("reason") ? "  " + r.get("reason").asText() : ""))
                .field("Priority", priority)
                .field("Trigger", RunTable.trigger(r.path("trigger")))
                .field("Running", RunTable.runningSteps(r))
                .field("Deadline", Table.text(r.path("deadline")))
                .field("Created", Table.text(r.path("createdAt")))
                .field("Started", Table.text(r.path("startedAt")))
                .field("Ended", Table.text(r.path("endedAt")))
                .field("Workspace", Table.text(r.path("workspace")));
        o.println("Steps:");
        if (r.path("stepRuns").isEmpty()) o.println("  (none started)");
        for (JsonNode s : r.path("stepRuns")) {
            Fields b = new Fields(o, "  ").block(RunTable.stepInstance(s) + " (" + s.path("instance").asText() + ")");
            b.field("State", s.path("state").asText() + ", attempt " + s.path("attempt").asInt()
                    + (s.hasNonNull("exitCode") ? ", exit code " + s.get("exitCode").asText() : ""));
            b.optional("Message", s.path("message"));
            b.optional("Monitor pid", s.path("monitorPid"));
            b.field("Started", Table.text(s.path("startedAt")));
            b.field("Ended", Table.text(s.path("endedAt")));
            b.map("Inputs", s.path("inputs"));
            b.map("Outputs", s.path("outputs"));
        }
        o.println("Products:");
        if (r.path("products").isEmpty()) o.println("  (none)");
        for (JsonNode p : r.path("products")) {
            Fields b = new Fields(o, "  ").block(p.path("id").asText() + "  " + RunTable.stepInstance(p) + "/"
                    + p.path("output").asText() + "  " + ProductTable.size(p.path("sizeBytes")) + "  priority "
                    + Table.text(p.path("priority")) + "  " + p.path("state").asText());
            b.field("Path", Table.text(p.path("path")));
            if (p.hasNonNull("sha256") || !p.path("files").isArray()) {
                b.field("SHA-256", Table.text(p.path("sha256")));
            } else { // a directory output: each of its files with its own digest
                com.fasterxml.jackson.databind.node.ObjectNode files = ApiClient.JSON.createObjectNode();
                for (JsonNode file : p.path("files")) {
                    files.put(file.path("name").asText(), ProductTable.size(file.path("sizeBytes")) + "  sha256 "
                            + Table.text(file.path("sha256")));
                }
                b.map("Files", files);
            }
            b.field("Expires", Table.text(p.path("expiresAt")) + " (retention " + Table.text(p.path("retention")) + ")");
            b.field("Image", p.hasNonNull("image") ? p.get("image").asText()
                    : p.hasNonNull("imagePath") ? p.get("imagePath").asText() + " (a directory: no digest)" : "-");
            b.map("Inputs", p.path("inputs"));
        }
    }
}
