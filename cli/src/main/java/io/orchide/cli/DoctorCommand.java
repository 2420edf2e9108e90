package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orchide doctor}: which runtimes, monitors and accelerations work on the node, and why not. */
@Command(name = "doctor", description = "Report which runtimes and monitors work on the node, and why not.")
final class DoctorCommand implements Runnable {
    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        boolean json = output.json();
        JsonNode d = server.client().get("/api/v1/doctor");
        if (json) {
            Printer.json(System.out, d);
            return;
        }
        Table t = new Table("RUNTIME", "OK", "DETAIL");
        for (JsonNode p : d.path("probes")) {
            t.row(p.path("name").asText(), p.path("available").asBoolean() ? "yes" : "no", p.path("reason").asText());
        }
        t.print(System.out);
    }
}
