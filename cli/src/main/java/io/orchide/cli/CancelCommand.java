package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.cli.Resources.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orchide cancel run NAME}: stops a queued or running run; its running steps are stopped. */
@Command(name = "cancel", description = "Cancel a queued or running pipeline run: cancel run NAME.")
final class CancelCommand implements Runnable {
    @Mixin
    ResourceRef ref;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        String name = ref.name(ref.kind(Kind.RUN));
        boolean json = output.json();
        JsonNode r = server.client().post("/api/v1/runs/" + name + "/cancel", ApiClient.JSON.createObjectNode());
        if (json) {
            Printer.json(System.out, r);
            return;
        }
        String state = r.path("state").asText("cancelled");
        System.out.println("run/" + name + (state.equals("cancelled") ? " cancelled" : " cancel requested (" + state + ")"));
    }
}
