package io.orchide.twin.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The platform admin token of the twin's ground: whichever replica starts first on the empty database writes it to
 * {@link #file}; {@link #load} reads it once ground is ready. Until then {@link #get} gives null (calls go without it).
 */
final class AdminToken implements Supplier<String> {
    private final Path file;
    private volatile String value;

    AdminToken(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Reads the token ground's first start wrote (before its start line). */
    void load() {
        try {
            value = Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException("ground wrote no admin token to " + file + " (" + e + "); its work "
                    + "directory must be new for each twin run", e);
        }
    }

    @Override
    public String get() {
        return value;
    }
}
