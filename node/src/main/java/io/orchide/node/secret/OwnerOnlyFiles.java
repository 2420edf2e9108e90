package io.orchide.node.secret;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only the agent's user may read: written with their mode from their creation (never open to
 * others for an instant), atomically, and checked before they are trusted.
 */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} (and parents) if missing, mode 0700 for the last one. */
    public static void directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }

    /** Writes {@code text} to {@code file} with mode 0600, through a temporary file renamed into place. */
    public static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The mode of {@code path} as {@code 0644} when its group or others have any permission on it; null when only its
     * owner has, or when it is missing or its file system has no POSIX permissions.
     */
    public static String looseMode(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) return null;
        Set<PosixFilePermission> p;
        try {
            p = view.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            return null;
        }
        for (PosixFilePermission x : p) {
            if (!x.name().startsWith("OWNER_")) {
                int mode = 0;
                for (PosixFilePermission y : p) mode |= 1 << (8 - y.ordinal());
                return String.format("0%03o", mode);
            }
        }
        return null;
    }

    /** Refuses, naming the file and its mode, a {@code path} its group or others may use. */
    public static void requireOwnerOnly(Path path, String what) throws IOException {
        String mode = looseMode(path);
        if (mode != null) {
            throw new IOException(what + " " + path + " has mode " + mode + ": group and others must have no access to it "
                    + "(chmod " + (Files.isDirectory(path) ? "700" : "600") + " " + path + ")");
        }
    }
}
