package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.cli.Resources.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code orchide describe workload|pipeline|run|tenant|device|satellite NAME}: one resource in detail. */
@Command(name = "describe", description = "Show one resource in detail: describe workload|pipeline|run|tenant|device|"
        + "satellite NAME (a tenant: its quota and its use of each ground quota; a device, on a node: properties desired, "
        + "reported and pending, grants and their use, lease; a satellite, on ground: contact, queues, next pass, nodes "
        + "and where each node last said it was).")
final class DescribeCommand implements Runnable {
    @Mixin
    ResourceRef ref;

    @Mixin
    ServerOption server;

    @Mixin
    OutputOption output;

    @Override
    public void run() {
        Kind kind = ref.kind(Kind.WORKLOAD, Kind.PIPELINE, Kind.RUN, Kind.TENANT, Kind.DEVICE, Kind.SATELLITE);
        String name = ref.name(kind);
        boolean json = output.json();
        JsonNode r = server.client().get("/api/v1/" + kind.plural() + "/" + name);
        if (json) {
            Printer.json(System.out, r);
            return;
        }
        switch (kind) {
            case WORKLOAD -> WorkloadDescription.print(r, System.out);
            case PIPELINE -> PipelineDescription.print(r, System.out);
            case TENANT -> TenantQuota.print(r, System.out);
            case DEVICE -> DeviceTables.describe(r, System.out);
            case SATELLITE -> SatelliteDescription.print(r, java.time.Instant.now(), System.out);
            default -> RunDescription.print(r, System.out);
        }
    }
}
