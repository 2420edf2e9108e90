package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code orchide start|stop|restart NAME}. */
abstract class LifecycleCommand implements Runnable {
    @Parameters(index = "0", description = "Workload name")
    String name;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    abstract String verb();

    @Override
    public void run() {
        boolean json = output.json();
        JsonNode r = server.client().post("/api/v1/workloads/" + Resources.name(name) + "/" + verb(), "");
        if (json) Printer.json(System.out, r);
        else System.out.println("workload/" + name + " " + r.path("result").asText() + " (" + r.path("state").asText() + ")");
    }

    @Command(name = "start", description = "Start a stopped workload.")
    static final class Start extends LifecycleCommand {
        @Override String verb() { return "start"; }
    }

    @Command(name = "stop", description = "Stop a workload gracefully (then forcibly after its grace period).")
    static final class Stop extends LifecycleCommand {
        @Override String verb() { return "stop"; }
    }

    @Command(name = "restart", description = "Stop and start a workload again.")
    static final class Restart extends LifecycleCommand {
        @Override String verb() { return "restart"; }
    }
}
