package io.orchide.runtime.supervise;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds the shims of one run directory by their {@code --run-dir} argument and ends them with their monitors.
 * Used for a launch nobody saw through: a start that timed out, or one the agent died in the middle of.
 */
public final class OrphanShims {
    private OrphanShims() {
    }

    public static void kill(Path runDir) {
        String dir = runDir.toAbsolutePath().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> runDirOf(a, dir)).orElse(false))
                .forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }

    private static boolean runDirOf(String[] args, String dir) {
        int i = Arrays.asList(args).indexOf("--run-dir");
        return i >= 0 && i + 1 < args.length && args[i + 1].equals(dir);
    }
}
