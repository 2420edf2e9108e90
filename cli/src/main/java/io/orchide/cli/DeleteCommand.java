package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code orchide delete workload NAME}: stops it and forgets it. */
@Command(name = "delete", description = "Stop and remove a resource.")
final class DeleteCommand implements Runnable {
    @Parameters(index = "0", description = "Resource type: workload")
    String type;

    @Parameters(index = "1", description = "Name")
    String name;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        Resources.workloadType(type);
        server.client().delete("/api/v1/workloads/" + Resources.name(name));
        System.out.println("workload/" + name + " deleted");
    }
}
