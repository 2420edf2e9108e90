package io.orchide.runtime.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Applies OCI layer tarballs (plain or gzip) onto a root filesystem directory, honouring whiteouts
 * ({@code .wh.<name>}, {@code .wh..wh..opq}). Never writes outside the rootfs: entries with absolute names or
 * {@code ..} segments are rejected, and so is any entry whose parent path crosses a symbolic link. Device nodes
 * and fifos are skipped (the container runtime provides /dev); file ownership is not applied.
 */
final class LayerUnpacker {
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final Path rootfs;

    LayerUnpacker(Path rootfs) {
        this.rootfs = rootfs.toAbsolutePath().normalize();
    }

    /** Applies one layer; {@code digest} names it in errors. */
    void unpack(InputStream raw, String digest) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        Set<Path> written = new HashSet<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(gzip ? new GzipCompressorInputStream(in) : in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = resolve(e.getName(), digest);
                if (target.equals(rootfs)) continue;
                checkParents(target, digest);
                String name = target.getFileName().toString();
                if (name.equals(OPAQUE)) {
                    clearExcept(target.getParent(), written);
                } else if (name.startsWith(WHITEOUT)) {
                    String hidden = name.substring(WHITEOUT.length());
                    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                        throw new ImageException("layer " + digest + " has a malformed whiteout", e.getName());
                    }
                    deleteTree(target.resolveSibling(hidden));
                } else {
                    write(tar, e, target, digest);
                    written.add(target);
                }
            }
        }
    }

    private Path resolve(String name, String digest) throws ImageException {
        String n = name.startsWith("./") ? name.substring(2) : name;
        if (n.startsWith("/") || List.of(n.split("/")).contains("..")) {
            throw new ImageException("layer " + digest + " has an entry escaping the rootfs", name);
        }
        Path p = rootfs.resolve(n).normalize();
        if (!p.startsWith(rootfs)) throw new ImageException("layer " + digest + " has an entry escaping the rootfs", name);
        return p;
    }

    /** Rejects a target whose parent directories include a symbolic link (it could point out of the rootfs). */
    private void checkParents(Path target, String digest) throws IOException {
        Path p = rootfs;
        for (Path part : rootfs.relativize(target.getParent() == null ? rootfs : target.getParent())) {
            if (part.toString().isEmpty()) continue;
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw new ImageException("layer " + digest + " writes through a symbolic link",
                        rootfs.relativize(target).toString());
            }
        }
        Files.createDirectories(target.getParent());
    }

    private void write(TarArchiveInputStream tar, TarArchiveEntry e, Path target, String digest) throws IOException {
        if (e.isDirectory()) {
            if (!Files.isDirectory(target, NOFOLLOW)) {
                deleteTree(target);
                Files.createDirectory(target);
            }
        } else if (e.isSymbolicLink()) {
            deleteTree(target);
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            return;
        } else if (e.isLink()) {
            Path source = resolve(e.getLinkName(), digest);
            if (!Files.isRegularFile(source, NOFOLLOW)) {
                throw new ImageException("layer " + digest + " hard-links to a missing or non-regular file",
                        e.getLinkName());
            }
            deleteTree(target);
            Files.createLink(target, source);
            return;
        } else if (e.isFile()) {
            deleteTree(target);
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
            return; // devices, fifos
        }
        Files.setPosixFilePermissions(target, permissions(e.getMode()));
        Files.setLastModifiedTime(target, FileTime.from(e.getLastModifiedDate().toInstant()));
    }

    /** The permission of each mode bit, from bit 0 (others may execute) to bit 8 (the owner may read). */
    private static final PosixFilePermission[] MODE_BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < MODE_BITS.length; i++) if ((mode & (1 << i)) != 0) set.add(MODE_BITS[i]);
        return set;
    }

    /** The permission bits of a mode ({@code 0755} for rwxr-xr-x): the inverse of what unpacking applies. */
    static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int i = 0; i < MODE_BITS.length; i++) if (permissions.contains(MODE_BITS[i])) mode |= 1 << i;
        return mode;
    }

    /** Removes the children of {@code dir} that lower layers put there (an opaque whiteout). */
    private static void clearExcept(Path dir, Set<Path> keep) throws IOException {
        if (!Files.isDirectory(dir, NOFOLLOW)) return;
        try (Stream<Path> children = Files.list(dir)) {
            for (Path c : children.toList()) if (!keep.contains(c)) deleteTree(c);
        }
    }

    /** Deletes a file, link or directory tree without following symbolic links. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, NOFOLLOW)) return;
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
