package io.orchide.cli;

import picocli.CommandLine.Parameters;

/** The {@code workload NAME} pair that describe, delete and wait take, checked before anything is sent. */
final class WorkloadRef {
    @Parameters(index = "0", description = "Resource type: workload")
    String type;

    @Parameters(index = "1", description = "Name")
    String name;

    /** The checked name; throws for an unknown type or an invalid name. */
    String name() {
        Resources.workloadType(type);
        return Resources.name(name);
    }
}
