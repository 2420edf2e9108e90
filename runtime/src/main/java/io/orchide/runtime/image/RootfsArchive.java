package io.orchide.runtime.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * A directory image (a container's root filesystem) as it travels by content: a tar archive of the tree, written
 * so that the same tree always gives the same bytes, and so the same {@code sha256:} name and the same chunks (entries
 * in path order, times and owners zeroed, permission bits kept, symbolic links as links). Regular files,
 * directories and symbolic links are taken; anything else (a device node, a fifo, a socket) is refused by path, as
 * the container runtime provides {@code /dev}. Unpacking uses the OCI layer rules: nothing is written outside the
 * target.
 */
public final class RootfsArchive {
    private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);
    private static final int MAGIC_OFFSET = 257;

    private RootfsArchive() {
    }

    /**
     * Writes the archive of {@code dir}.
     *
     * @throws ImageException naming the path of an entry that is neither a file, a directory nor a link
     */
    public static void write(Path dir, OutputStream out) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) throw new ImageException("not a directory", root.toString());
        List<Path> entries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                if (!d.equals(root)) entries.add(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                if (!a.isRegularFile() && !a.isSymbolicLink()) {
                    throw new ImageException("a root filesystem image holds files, directories and links only",
                            root.relativize(f).toString());
                }
                entries.add(f);
                return FileVisitResult.CONTINUE;
            }
        });
        entries.sort((a, b) -> root.relativize(a).toString().compareTo(root.relativize(b).toString()));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Path p : entries) {
            String name = root.relativize(p).toString().replace('\\', '/');
            TarArchiveEntry e;
            boolean regular = false;
            if (Files.isSymbolicLink(p)) {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                e.setLinkName(Files.readSymbolicLink(p).toString());
                e.setMode(0120777);
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                e = new TarArchiveEntry(name + "/");
                e.setMode(040000 | mode(p));
            } else {
                e = new TarArchiveEntry(name);
                e.setMode(0100000 | mode(p));
                e.setSize(Files.size(p));
                regular = true;
            }
            e.setModTime(new Date(0));
            e.setIds(0, 0);
            e.setNames("", "");
            tar.putArchiveEntry(e);
            if (regular) Files.copy(p, tar);
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    /** Whether {@code file} is a tar archive (its ustar magic), which a content image for a container must be. */
    public static boolean isArchive(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC_OFFSET + USTAR.length);
            return head.length == MAGIC_OFFSET + USTAR.length
                    && Arrays.equals(head, MAGIC_OFFSET, MAGIC_OFFSET + USTAR.length, USTAR, 0, USTAR.length);
        }
    }

    /**
     * Unpacks {@code archive} into {@code target} once: into a fresh directory beside it, renamed into place when
     * whole, so a crash never leaves a half tree under the target's name. A target already there is kept as it is.
     * {@code name} (the image's digest) names the archive in errors.
     */
    public static void unpackOnce(Path archive, Path target, String name) throws IOException {
        if (Files.isDirectory(target)) return;
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        try {
            try (InputStream in = Files.newInputStream(archive)) {
                new LayerUnpacker(tmp).unpack(in, name);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // another launch unpacked it meanwhile: theirs is the same tree
            }
        } finally {
            if (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) LayerUnpacker.deleteTree(tmp);
        }
    }

    private static int mode(Path p) throws IOException {
        return LayerUnpacker.mode(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
