package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code orchide event NAME}: posts a named event; the pipelines with an {@code onEvent} trigger for it run. */
@Command(name = "event", description = "Fire a named event, starting the pipelines that listen to it.")
final class EventCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "NAME", description = "Event name, as in a pipeline's onEvent trigger")
    String name;

    @Mixin
    ServerOption server;

    @Mixin
    SatelliteOption satellite;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        Resources.name(name);
        boolean json = output.json();
        satellite.defaultFrom(server);
        if (satellite.present()) {
            JsonNode r = server.client().post(satellite.base() + "/events", ApiClient.JSON.createObjectNode().put("name", name));
            if (json) Printer.json(System.out, r);
            else System.out.println("event/" + name + " queued for " + satellite.satellite + " (raised on board at its next contact)");
            return;
        }
        JsonNode r = server.client().post("/api/v1/events", ApiClient.JSON.createObjectNode().put("name", name));
        if (json) {
            Printer.json(System.out, r);
            return;
        }
        List<String> runs = new ArrayList<>();
        for (JsonNode n : r.path("runs")) runs.add(n.asText());
        System.out.println("event/" + name + " fired: "
                + (runs.isEmpty() ? "no pipeline listens to it" : String.join(", ", runs)));
    }
}
