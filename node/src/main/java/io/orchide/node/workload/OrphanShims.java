package io.orchide.node.workload;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds shims of a run whose launch the agent did not see through (it died between recording the run and the
 * shim writing its pid file) and ends them, so that the run started in their place is the only one.
 */
final class OrphanShims {
    private OrphanShims() {
    }

    static void killFor(Path runDir) {
        String dir = runDir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(dir)).orElse(false))
                .forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }
}
