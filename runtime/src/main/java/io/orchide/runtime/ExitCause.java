package io.orchide.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code exit-cause} file of a run directory: written by the driver side (before it makes the monitor exit)
 * when it saw the guest end in a way the monitor's exit status cannot carry, read with the shim's exit file into
 * {@link RawExit#cause()}. One line of text; the first writer wins.
 */
public final class ExitCause {
    public static final String NAME = "exit-cause";

    private ExitCause() {
    }

    /** Records {@code cause} unless a cause is already recorded. */
    public static void write(Path runDir, String cause) throws IOException {
        Path file = runDir.resolve(NAME);
        if (Files.exists(file)) return;
        Path tmp = Files.createTempFile(runDir, NAME, ".tmp");
        Files.writeString(tmp, cause.strip() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The recorded cause, or null. */
    public static String read(Path runDir) throws IOException {
        try {
            String s = Files.readString(runDir.resolve(NAME), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? null : s;
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
