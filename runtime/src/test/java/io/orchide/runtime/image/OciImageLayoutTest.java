package io.orchide.runtime.image;

import io.orchide.testkit.OciLayoutBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OciImageLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void readsConfigAndAnnotations() throws Exception {
        String digest = new OciLayoutBuilder(tmp).annotation("org.opencontainers.image.title", "t")
                .config("Entrypoint", List.of("/bin/sh")).config("Cmd", List.of("-c", "true"))
                .config("Env", List.of("A=1")).config("Labels", Map.of("l", "v"))
                .layer().file("a", "x").done().build();
        OciImageLayout layout = OciImageLayout.open(tmp, "amd64");
        assertThat(layout.manifestDigest()).isEqualTo(digest);
        assertThat(layout.annotations()).containsEntry("org.opencontainers.image.title", "t");
        assertThat(layout.config().defaultArgs()).containsExactly("/bin/sh", "-c", "true");
        assertThat(layout.config().env()).containsExactly("A=1");
        assertThat(layout.config().labels()).containsEntry("l", "v");
        assertThat(layout.config().architecture()).isEqualTo("amd64");
    }

    @Test
    void tamperedBlobIsRejectedNamingItsDigest() throws Exception {
        new OciLayoutBuilder(tmp).layer().file("a", "original").done().build();
        OciImageLayout layout = OciImageLayout.open(tmp, "amd64");
        String layer = layout.layers().getFirst().digest();
        Path blob = OciImageLayout.blobPath(tmp, layer);
        byte[] b = Files.readAllBytes(blob);
        b[512] ^= 1; // first byte of the file content
        Files.write(blob, b);
        assertThatThrownBy(() -> layout.unpack(tmp.resolve("rootfs")))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.value()).isEqualTo(layer))
                .hasMessageContaining(layer);
        assertThat(tmp.resolve("rootfs/a")).doesNotExist();
    }

    @Test
    void tamperedManifestIsRejected() throws Exception {
        String digest = new OciLayoutBuilder(tmp).layer().file("a", "x").done().build();
        Path manifest = OciImageLayout.blobPath(tmp, digest);
        Files.writeString(manifest, Files.readString(manifest).replace("\"layers\"", "\"layers\" "));
        assertThatThrownBy(() -> OciImageLayout.open(tmp, "amd64")).hasMessageContaining(digest);
    }

    @Test
    void layerEscapingTheRootfsIsRejected() throws Exception {
        new OciLayoutBuilder(tmp).layer().file("../../etc/x", "evil").done().build();
        Path rootfs = tmp.resolve("a/b/rootfs");
        assertThatThrownBy(() -> OciImageLayout.open(tmp, "amd64").unpack(rootfs))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.value()).isEqualTo("../../etc/x"));
        assertThat(tmp.resolve("a/etc/x")).doesNotExist();
        assertThat(tmp.resolve("etc/x")).doesNotExist();
    }

    @Test
    void writingThroughASymlinkIsRejected() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        new OciLayoutBuilder(Files.createDirectories(tmp.resolve("l"))).layer().symlink("evil", outside.toString()).done()
                .layer().file("evil/pwned", "x").done().build();
        assertThatThrownBy(() -> OciImageLayout.open(tmp.resolve("l"), "amd64").unpack(tmp.resolve("rootfs")))
                .isInstanceOf(ImageException.class).hasMessageContaining("symbolic link");
        assertThat(outside.resolve("pwned")).doesNotExist();
    }

    @Test
    void whiteoutsHideLowerLayerFiles() throws Exception {
        new OciLayoutBuilder(tmp).layer().file("d/x", "x").file("d/y", "y").file("o/old", "o").done()
                .gzipLayer().file("d/.wh.x", "").file("o/new", "n").file("o/.wh..wh..opq", "").done().build();
        Path rootfs = tmp.resolve("rootfs");
        OciImageLayout.open(tmp, "amd64").unpack(rootfs);
        assertThat(rootfs.resolve("d/x")).doesNotExist();
        assertThat(rootfs.resolve("d/y")).hasContent("y");
        assertThat(rootfs.resolve("o/old")).doesNotExist();
        assertThat(rootfs.resolve("o/new")).hasContent("n");
        assertThat(rootfs.resolve("o/.wh..wh..opq")).doesNotExist();
    }
}
