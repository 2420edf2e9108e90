package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/** {@code orchide get workloads [NAME]}: one line per workload. */
@Command(name = "get", description = "List resources: workloads.")
final class GetCommand implements Runnable {
    @Parameters(index = "0", description = "Resource type: workloads (or workload, wl)")
    String type;

    @Parameters(index = "1", arity = "0..1", description = "Name of one resource")
    String name;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        Resources.workloadType(type);
        boolean json = output.json();
        ApiClient api = server.client();
        JsonNode items = name == null ? api.get("/api/v1/workloads").path("items")
                : ApiClient.JSON.createArrayNode().add(api.get("/api/v1/workloads/" + Resources.name(name)));
        if (json) {
            Printer.json(System.out, name == null ? items : items.get(0));
            return;
        }
        Instant now = Instant.now();
        Table t = output.wide()
                ? new Table("NAME", "FAMILY", "MONITOR", "ARCH", "STATE", "RESTARTS", "AGE", "PID", "MESSAGE")
                : new Table("NAME", "FAMILY", "MONITOR", "STATE", "RESTARTS", "AGE");
        for (JsonNode w : items) {
            if (output.wide()) {
                t.row(w.path("name").asText(), w.path("family").asText("-"), w.path("monitor").asText("-"),
                        w.path("arch").asText("-"), w.path("state").asText(), w.path("restarts").asInt(),
                        Table.age(w.path("created").asText(), now), w.path("pid").asText("-"),
                        w.path("message").asText());
            } else {
                t.row(w.path("name").asText(), w.path("family").asText("-"), w.path("monitor").asText("-"),
                        w.path("state").asText(), w.path("restarts").asInt(), Table.age(w.path("created").asText(), now));
            }
        }
        t.print(System.out);
    }
}
