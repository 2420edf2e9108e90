package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code describe pipeline NAME}: scheduling, triggers, run counts, then each step as the manifest gives it. */
final class PipelineDescription {
    private PipelineDescription() {
    }

    static void print(JsonNode p, PrintStream o) {
        Fields f = new Fields(o, "");
        JsonNode runs = p.path("runs");
        f.field("Name", p.path("name").asText())
                .field("Tenant", Table.text(p.path("tenant")))
                .field("Priority", Table.text(p.path("priority")))
                .field("Deadline", Table.text(p.path("deadline")))
                .field("Preemptible", Table.text(p.path("preemptible")))
                .field("Concurrency", Table.text(p.path("concurrency")))
                .field("Triggers", PipelineTable.triggers(p))
                .field("Runs", runs.path("queued").asInt() + " queued, " + runs.path("running").asInt() + " running, "
                        + runs.path("succeeded").asInt() + " succeeded, " + runs.path("failed").asInt() + " failed, "
                        + runs.path("cancelled").asInt() + " cancelled, " + runs.path("expired").asInt() + " expired")
                .field("Last run", Table.text(p.path("lastRun")))
                .field("Created", Table.text(p.path("createdAt")))
                .field("Updated", Table.text(p.path("updatedAt")));
        JsonNode steps = p.path("manifest").path("spec").path("steps");
        o.println("Steps:");
        if (steps.isEmpty()) { // no manifest in the reply: the names are all there is
            for (JsonNode s : p.path("steps")) o.println("  " + s.asText());
            return;
        }
        for (JsonNode s : steps) step(s, new Fields(o, "  "));
    }

    private static void step(JsonNode s, Fields f) {
        List<String> head = new ArrayList<>();
        if (s.has("app")) head.add("app " + s.path("app").asText());
        if (s.has("template")) head.add("image " + s.path("template").path("image").asText("?"));
        if (!s.path("after").isEmpty()) head.add("after " + join(s.path("after")));
        Fields b = f.block(s.path("name").asText() + (head.isEmpty() ? "" : ": " + String.join(", ", head)));
        b.optional("When", s.path("when"));
        if (s.has("forEach")) {
            b.field("For each", s.path("forEach").path("items").asText() + ", parallelism "
                    + s.path("forEach").path("parallelism").asText("1"));
        }
        List<String> ins = new ArrayList<>();
        for (JsonNode in : s.path("inputs")) ins.add(in.path("name").asText() + " <- " + in.path("from").asText());
        if (!ins.isEmpty()) b.field("Inputs", String.join(", ", ins));
        List<String> outs = new ArrayList<>();
        for (JsonNode out : s.path("outputs")) {
            JsonNode pr = out.path("product");
            outs.add(out.path("name").asText() + " -> " + out.path("path").asText() + (pr.isObject()
                    ? " (product, priority " + pr.path("priority").asText() + ", retention " + pr.path("retention").asText() + ")"
                    : ""));
        }
        if (!outs.isEmpty()) b.field("Outputs", String.join(", ", outs));
        b.optional("Timeout", s.path("timeout"));
        JsonNode r = s.path("retries");
        if (r.path("limit").asInt() > 0) {
            b.field("Retries", r.path("limit").asInt() + ", backoff " + r.path("backoff").asText("-"));
        }
    }

    private static String join(JsonNode names) {
        List<String> l = new ArrayList<>();
        for (JsonNode n : names) l.add(n.asText());
        return String.join(", ", l);
    }
}
