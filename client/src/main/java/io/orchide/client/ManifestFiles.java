package io.orchide.client;

import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;

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
}
