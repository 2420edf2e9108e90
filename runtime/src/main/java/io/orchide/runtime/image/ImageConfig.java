package io.orchide.runtime.image;

import java.util.List;
import java.util.Map;

/**
 * The parts of an OCI image configuration a launch needs.
 *
 * @param architecture OCI architecture name ({@code amd64}, {@code arm64}), or null
 * @param labels       the config's {@code Labels}
 */
public record ImageConfig(String architecture, String os, List<String> entrypoint, List<String> cmd,
                          List<String> env, String workingDir, Map<String, String> labels) {
    public ImageConfig {
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Entrypoint followed by Cmd: what the image runs when the App gives no args. */
    public List<String> defaultArgs() {
        return java.util.stream.Stream.concat(entrypoint.stream(), cmd.stream()).toList();
    }
}
