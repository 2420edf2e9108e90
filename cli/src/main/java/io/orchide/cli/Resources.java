package io.orchide.cli;

import java.util.Set;

/** Resource type words the verbs accept, and name checks before anything is sent. */
final class Resources {
    private static final Set<String> WORKLOAD = Set.of("workloads", "workload", "wl");

    private Resources() {
    }

    static void workloadType(String type) {
        if (!WORKLOAD.contains(type)) {
            throw new CliException("unknown resource type " + type + " (known: workloads)");
        }
    }

    static String name(String name) {
        if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || name.length() > 63) {
            throw new CliException("invalid name " + name + ": lower-case letters, digits and '-', at most 63");
        }
        return name;
    }
}
