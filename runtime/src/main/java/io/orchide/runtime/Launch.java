package io.orchide.runtime;

import java.util.List;
import java.util.Map;

/**
 * A prepared launch: the exact monitor command line, its environment, and what makes it count as started. The
 * supervisor runs it under the shim with the workload directory as working directory and returns from
 * {@link Supervisor#start} only once {@code startCheck} passed. Everything else a driver needs later (QMP socket,
 * container id, generated config.json) lives at fixed places in the workload directory, so a restarted agent finds it.
 */
public record Launch(List<String> command, Map<String, String> env, StartCheck startCheck) {
    public Launch {
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        startCheck = startCheck == null ? StartCheck.EXEC : startCheck;
    }

    public Launch(List<String> command, Map<String, String> env) {
        this(command, env, StartCheck.EXEC);
    }
}
