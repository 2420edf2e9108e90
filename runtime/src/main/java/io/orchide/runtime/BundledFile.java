package io.orchide.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;

/** A file shipped inside this jar (built for the host at build time) and installed onto the host on demand. */
public final class BundledFile {
    private BundledFile() {
    }

    /**
     * Copies classpath {@code resource} to {@code target} unless an identical file is already there (atomic
     * rename; mode 755 or 644). Empty when the jar does not carry the resource.
     */
    public static Optional<Path> install(String resource, Path target, boolean executable) {
        byte[] content;
        try (InputStream in = BundledFile.class.getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = target.toAbsolutePath().getParent();
        try {
            if (Files.isRegularFile(target) && (!executable || Files.isExecutable(target))
                    && Arrays.equals(Files.readAllBytes(target), content)) {
                return Optional.of(target);
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                Files.write(tmp, content);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Optional.of(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + target.getFileName() + " into " + dir, e);
        }
    }
}
