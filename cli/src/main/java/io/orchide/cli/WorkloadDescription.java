package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code describe workload NAME}: spec, state history, runs with exit status, resource use. */
final class WorkloadDescription {
    private WorkloadDescription() {
    }

    static void print(JsonNode w, PrintStream o) {
        o.println("Name:        " + w.path("name").asText());
        o.println("Tenant:      " + w.path("tenant").asText());
        o.println("Runtime:     " + w.path("family").asText("-") + " on " + w.path("monitor").asText("-") + " ("
                + w.path("arch").asText("-") + ")");
        o.println("Desired:     " + w.path("desired").asText() + " (generation " + w.path("generation").asLong() + ")");
        o.println("State:       " + w.path("state").asText() + "  " + w.path("message").asText());
        o.println("Restarts:    " + w.path("restarts").asInt());
        o.println("Created:     " + w.path("created").asText());
        if (w.has("pid")) o.println("Monitor pid: " + w.path("pid").asLong() + " since " + w.path("started").asText());
        if (w.has("usage")) {
            JsonNode u = w.path("usage");
            o.printf("Usage:       %d KiB resident, %.2f s CPU, %d process(es)%n", u.path("rssKiB").asLong(),
                    u.path("cpuSeconds").asDouble(), u.path("processes").asInt());
        }
        JsonNode spec = w.path("spec").path("spec");
        o.println("Spec:");
        o.println("  image:     " + spec.path("image").asText());
        o.println("  args:      " + spec.path("args"));
        o.println("  env:       " + env(spec.path("env")));
        if (w.has("imageCmdline")) {
            o.println("  cmdline:   " + w.path("imageCmdline").asText() + "  (carried by the image"
                    + (spec.path("args").isEmpty() ? ")" : "; the args above replace it)"));
        }
        JsonNode r = spec.path("resources");
        o.println("  resources: " + r.path("vcpus").asText("1") + " vCPU, " + r.path("memoryMiB").asText("?") + " MiB"
                + (r.has("timeout") ? ", timeout " + r.path("timeout").asText() : ""));
        o.println("  restart:   " + spec.path("restart").path("policy").asText("Never"));
        o.println("Runs (newest first):");
        Table runs = new Table("  ATTEMPT", "GEN", "STARTED", "ENDED", "EXIT", "RESULT", "REASON");
        for (JsonNode run : w.path("runs")) {
            String exit = run.has("guestExitCode") ? run.path("guestExitCode").asText()
                    : run.has("signal") ? "sig " + run.path("signal").asText()
                    : run.path("exitCode").asText("-");
            String result = !run.has("success") ? stateText(run.path("state").asText())
                    : run.path("success").asBoolean() ? "ok" : "failed";
            runs.row("  " + run.path("attempt").asText(), run.path("generation").asText(), run.path("started").asText(),
                    run.path("ended").asText("-"), exit, result, run.path("reason").asText("-"));
        }
        runs.print(o);
        o.println("History:");
        for (JsonNode e : w.path("history")) {
            o.println("  " + e.path("at").asText() + "  " + e.path("state").asText() + "  " + e.path("message").asText());
        }
    }

    /** The environment as the manifest gave it, {@code NAME=value} in its order; {@code -} for none. */
    private static String env(JsonNode env) {
        List<String> kv = new ArrayList<>();
        env.properties().forEach(e -> kv.add(e.getKey() + "=" + e.getValue().asText()));
        return kv.isEmpty() ? "-" : String.join(", ", kv);
    }

    /** A run without a success (stopped by the user, or not ended yet) reads like the other results: lower case. */
    private static String stateText(String state) {
        return state.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
