package io.orchide.testkit;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A busybox root filesystem of a test's own: a copy of the one examples/containers/busybox builds (the only
 * builder), so a test that writes into its container changes nothing another test runs.
 */
public final class BusyboxRootfs {
    /** The host's static busybox the example copies. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private BusyboxRootfs() {
    }

    /** Copies the example rootfs into {@code rootfs} (created) and returns it. Links stay links. */
    public static Path create(Path rootfs) throws IOException, InterruptedException {
        Path source = Examples.busyboxRootfs();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(rootfs.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, rootfs.resolve(source.relativize(file).toString()), LinkOption.NOFOLLOW_LINKS,
                        StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        return rootfs;
    }
}
