package io.orchide.runtime.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Finds the shims of one run directory and ends them with their monitors. Used for a launch nobody saw through:
 * a start that timed out, or one the agent died in the middle of. A shim started directly carries
 * {@code --run-dir DIR} in its arguments; one the spawner forked carries the spawner's arguments but works in
 * {@code DIR} (its working directory) under the shim's name.
 */
public final class OrphanShims {
    private OrphanShims() {
    }

    public static void kill(Path runDir) {
        String dir = runDir.toAbsolutePath().toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> runDirOf(a, dir)).orElse(false) || spawnedIn(p.pid(), dir))
                .forEach(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
    }

    private static boolean runDirOf(String[] args, String dir) {
        int i = Arrays.asList(args).indexOf("--run-dir");
        return i >= 0 && i + 1 < args.length && args[i + 1].equals(dir);
    }

    private static boolean spawnedIn(long pid, String dir) {
        if (!ShimBinary.FILE_NAME.equals(ProcStat.comm(pid))) return false;
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).toString().equals(dir);
        } catch (IOException | UnsupportedOperationException e) {
            return false; // gone, or another user's
        }
    }
}
