package io.orchide.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orchide delete workload NAME}: stops it and forgets it. */
@Command(name = "delete", description = "Stop and remove a resource.")
final class DeleteCommand implements Runnable {
    @Mixin
    WorkloadRef ref;

    @Mixin
    ServerOption server;

    @Override
    public void run() {
        String name = ref.name();
        server.client().delete("/api/v1/workloads/" + name);
        System.out.println("workload/" + name + " deleted");
    }
}
