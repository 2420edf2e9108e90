package io.orchide.runtime.supervise;

import io.orchide.runtime.ExitCause;
import io.orchide.runtime.RawExit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** The {@code exit} file the shim writes atomically into a run directory when the monitor has ended. */
public final class ExitFile {
    public static final String NAME = "exit";

    private ExitFile() {
    }

    public static boolean exists(Path runDir) {
        return Files.exists(runDir.resolve(NAME));
    }

    /**
     * Parses {@code runDir/exit}: {@code code=}, {@code signal=}, {@code at=} (epoch millis), with the driver's
     * {@link ExitCause} when one was recorded.
     */
    public static RawExit read(Path runDir) throws IOException {
        Map<String, String> kv = KeyValues.read(runDir.resolve(NAME));
        return new RawExit((int) KeyValues.number(kv, "code", runDir), (int) KeyValues.number(kv, "signal", runDir),
                Instant.ofEpochMilli(KeyValues.number(kv, "at", runDir)), ExitCause.read(runDir));
    }
}
