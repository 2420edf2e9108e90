package io.orchide.node.pipeline.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Places files into a workspace without touching the source: a hard link when the filesystem allows it, else a
 * copy written under a temporary name and renamed into place, so a crash never leaves a half-copied file under
 * the final name.
 */
public final class FileStager {
    /** Prefix of the temporary names of copies in progress; such leftovers are ignored and overwritten. */
    public static final String PARTIAL_PREFIX = ".partial-";

    /** How a file was placed. */
    public enum How { LINKED, COPIED, KEPT }

    /** Makes hard links; replaceable to simulate a filesystem that refuses them. */
    @FunctionalInterface
    public interface Linker {
        void link(Path link, Path existing) throws IOException;
    }

    private final Linker linker;

    public FileStager() {
        this(Files::createLink);
    }

    public FileStager(Linker linker) {
        this.linker = linker;
    }

    /**
     * Places regular file {@code source} at {@code target}. A target that already is the same file, or a copy of
     * the same size and modification time, is kept; any other target is replaced.
     */
    public How place(Path source, Path target) {
        try {
            if (!Files.isRegularFile(source)) throw new NoSuchFileException(source.toString());
            Files.createDirectories(target.getParent());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                if (sameContent(source, target)) return How.KEPT;
                Files.delete(target);
            }
            try {
                linker.link(target, source);
                return How.LINKED;
            } catch (IOException | UnsupportedOperationException e) {
                Path partial = target.resolveSibling(PARTIAL_PREFIX + target.getFileName());
                Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return How.COPIED;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place " + source + " at " + target, e);
        }
    }

    /** Places every regular file under directory {@code source} at the same relative path under {@code target}. */
    public void placeTree(Path source, Path target) {
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                        throws IOException {
                    Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) place(file, target.resolve(source.relativize(file).toString()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot place " + source + " at " + target, e);
        }
    }

    /** Deletes {@code path} and everything under it, without following links; absent is fine. */
    public static void deleteTree(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) throw e;
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    private static boolean sameContent(Path source, Path target) throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) return false;
        if (Files.isSameFile(source, target)) return true;
        return Files.size(source) == Files.size(target)
                && Files.getLastModifiedTime(source).equals(Files.getLastModifiedTime(target));
    }
}
