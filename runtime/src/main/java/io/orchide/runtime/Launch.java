package io.orchide.runtime;

import java.util.List;
import java.util.Map;

/**
 * A prepared launch: the exact monitor command line and its environment. The supervisor runs it under the shim
 * with the workload directory as working directory. Everything else a driver needs later (QMP socket, container
 * id, generated config.json) lives at fixed places in the workload directory, so a restarted agent finds it.
 */
public record Launch(List<String> command, Map<String, String> env) {
    public Launch {
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
    }
}
