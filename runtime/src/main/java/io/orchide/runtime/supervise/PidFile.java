package io.orchide.runtime.supervise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code pid} file the shim writes into a run directory once the monitor is exec'd.
 *
 * @param shimPid    the shim's pid
 * @param monitorPid the monitor's pid
 * @param startTime  the monitor's start time in clock ticks after boot (field 22 of /proc/pid/stat)
 */
public record PidFile(long shimPid, long monitorPid, long startTime) {
    public static final String NAME = "pid";

    /** Reads {@code runDir/pid}; empty when the shim has not written it. */
    public static Optional<PidFile> read(Path runDir) throws IOException {
        Map<String, String> kv;
        try {
            kv = KeyValues.read(runDir.resolve(NAME));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(new PidFile(KeyValues.number(kv, "shim", runDir),
                KeyValues.number(kv, "monitor", runDir), KeyValues.number(kv, "starttime", runDir)));
    }

    /** Whether the recorded monitor still runs: its pid exists with the recorded start time. */
    public boolean monitorAlive() {
        return ProcStat.startTime(monitorPid).orElse(-1) == startTime;
    }

    static boolean exists(Path runDir) {
        return Files.exists(runDir.resolve(NAME));
    }
}
