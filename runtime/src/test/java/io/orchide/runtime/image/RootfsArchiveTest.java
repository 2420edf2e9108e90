package io.orchide.runtime.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RootfsArchiveTest {
    @TempDir
    Path tmp;

    private Path tree(Path root) throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("dev"));
        Files.write(root.resolve("bin/busybox"), new byte[]{0x7f, 'E', 'L', 'F', 1, 2, 3});
        Files.setPosixFilePermissions(root.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\n");
        return root;
    }

    private static byte[] archive(Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RootfsArchive.write(dir, out);
        return out.toByteArray();
    }

    @Test
    void theSameTreeGivesTheSameBytesWhateverItsTimesAndItUnpacksToTheSameTree() throws Exception {
        Path a = tree(tmp.resolve("a"));
        Path b = tree(tmp.resolve("b"));
        Files.setLastModifiedTime(b.resolve("etc/passwd"), FileTime.fromMillis(123_456_789L));
        byte[] ta = archive(a);
        assertThat(MessageDigest.getInstance("SHA-256").digest(archive(b)))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(ta));

        Path file = tmp.resolve("rootfs.tar");
        Files.write(file, ta);
        assertThat(RootfsArchive.isArchive(file)).isTrue();
        assertThat(RootfsArchive.isArchive(a.resolve("bin/busybox"))).isFalse();
        Path out = tmp.resolve("trees/x");
        RootfsArchive.unpackOnce(file, out, "sha256:x");
        assertThat(Files.readAllBytes(out.resolve("bin/busybox"))).isEqualTo(Files.readAllBytes(a.resolve("bin/busybox")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/busybox"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readSymbolicLink(out.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(out.resolve("dev")).isDirectory();
        assertThat(Files.readString(out.resolve("etc/passwd"))).startsWith("root:");
        try (var s = Files.list(tmp.resolve("trees"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("x"); // no temporary left
        }

        Files.delete(out.resolve("etc/passwd")); // a tree already there is kept as it is
        RootfsArchive.unpackOnce(file, out, "sha256:x");
        assertThat(out.resolve("etc/passwd")).doesNotExist();
    }

    @Test
    void aFifoInTheTreeIsRefusedByItsPath() throws Exception {
        Path a = tree(tmp.resolve("a"));
        Process p = new ProcessBuilder("mkfifo", a.resolve("dev/pipe").toString()).start();
        assertThat(p.waitFor()).isZero();
        assertThatThrownBy(() -> archive(a)).isInstanceOf(ImageException.class).hasMessageContaining("dev/pipe");
        assertThatThrownBy(() -> archive(tmp.resolve("missing"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("not a directory");
    }
}
