package io.orchide.runtime.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciImageLayoutWriterTest {
    private static final List<OciImageLayoutWriter.File> FILES = List.of(
            new OciImageLayoutWriter.File("unikernel/hello.elf", new byte[]{0x7f, 'E', 'L', 'F'}, 0755),
            new OciImageLayoutWriter.File("unikernel/initrd.cpio", "initrd".getBytes(), 0644));
    private static final Map<String, String> URUNC = new UruncImage("unikraft", "qemu", "/unikernel/hello.elf",
            "message=hi seconds=1", "/unikernel/initrd.cpio", null).annotations();

    @TempDir
    Path tmp;

    @Test
    void theLayoutWrittenReadsBackWithItsAnnotationsArchAndFiles() throws Exception {
        String digest = OciImageLayoutWriter.write(tmp.resolve("image"), "arm64", FILES, URUNC);

        OciImageLayout layout = OciImageLayout.open(tmp.resolve("image"), "arm64");
        assertThat(layout.manifestDigest()).isEqualTo(digest);
        assertThat(layout.config().architecture()).isEqualTo("arm64");
        assertThat(UruncImage.fromAnnotations(layout.annotations())).contains(new UruncImage("unikraft", "qemu",
                "/unikernel/hello.elf", "message=hi seconds=1", "/unikernel/initrd.cpio", null));
        assertThat(UruncImage.ofLayout(tmp.resolve("image"), "arm64")).isEqualTo(UruncImage.fromAnnotations(URUNC));
        Path rootfs = tmp.resolve("rootfs");
        layout.unpack(rootfs);
        assertThat(Files.readAllBytes(rootfs.resolve("unikernel/hello.elf"))).containsExactly(0x7f, 'E', 'L', 'F');
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve("unikernel/hello.elf"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(rootfs.resolve("unikernel/initrd.cpio"))).isEqualTo("initrd");
    }

    @Test
    void theSameFilesAndAnnotationsGiveTheSameImage() throws Exception {
        String first = OciImageLayoutWriter.write(tmp.resolve("a"), "amd64", FILES, URUNC);
        String second = OciImageLayoutWriter.write(tmp.resolve("b"), "amd64", List.of(FILES.get(1), FILES.get(0)), URUNC);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aDirectoryThatHoldsSomethingIsRefusedAndLeftAsItWas() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> OciImageLayoutWriter.write(dir, "amd64", FILES, URUNC))
                .isInstanceOf(ImageException.class).hasMessageContaining("not empty").hasMessageContaining(dir.toString());
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(dir.resolve("notes.txt"));
        }
    }

    @Test
    void aPathLeavingTheRootIsRefused() {
        assertThatThrownBy(() -> new OciImageLayoutWriter.File("../etc/passwd", new byte[0], 0644))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../etc/passwd");
    }
}
