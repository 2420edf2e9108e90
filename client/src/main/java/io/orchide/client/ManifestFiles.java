package io.orchide.client;

import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the manifests of one file as a client sends them: every document checked (every error at once), paths made
 * absolute against the file's directory. Nothing is decided for the node: an App without {@code spec.runtime.arch}
 * stays without one, and the node that runs it fills it in from its own hardware (checks that need the node's arch
 * are the node's to make).
 */
public final class ManifestFiles {
    private ManifestFiles() {
    }

    /**
     * The manifests of {@code text}, relative paths resolved against {@code baseDir}.
     *
     * @throws ManifestException naming every field at fault, of every document
     */
    public static List<Manifest> read(String text, Path baseDir) throws ManifestException {
        Path base = baseDir.toAbsolutePath().normalize();
        return Manifests.parseAll(text, null).stream().map(m -> Manifests.resolvePaths(m, base)).toList();
    }

    /**
     * The manifests of {@code file}, relative paths resolved against its directory.
     *
     * @throws ManifestException naming every field at fault, of every document
     * @throws ApplyException when the file cannot be read or holds no manifest (applying it would silently do nothing)
     */
    public static List<Manifest> read(Path file) throws ManifestException {
        Path abs = file.toAbsolutePath();
        String text;
        try {
            text = Files.readString(abs);
        } catch (IOException e) {
            throw new ApplyException("cannot read " + file + ": " + e.getMessage());
        }
        List<Manifest> manifests = read(text, abs.getParent());
        if (manifests.isEmpty()) throw new ApplyException(nothingToApply(file.toString()));
        return manifests;
    }

    /** What is said of a source ({@code file}, or standard input) that holds no manifest. */
    public static String nothingToApply(String source) {
        return source + ": nothing to apply (no manifest in it: expected a document with apiVersion, kind, metadata and spec)";
    }
}
