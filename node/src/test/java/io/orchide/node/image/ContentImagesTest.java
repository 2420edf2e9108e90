package io.orchide.node.image;

import io.orchide.image.ChunkPack;
import io.orchide.image.ImageException;
import io.orchide.image.ImageManifest;
import io.orchide.image.ManifestDelta;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Metadata;
import io.orchide.runtime.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Images as ground sends them (manifest, delta manifest, chunk packs) become verified files an App can boot. */
class ContentImagesTest {
    @TempDir
    Path tmp;

    @Test
    void aNewVersionArrivesAsADeltaAndOnlyItsNewChunks() throws Exception {
        byte[] v1 = new byte[600_000];
        new Random(7).nextBytes(v1);
        byte[] v2 = v1.clone();
        for (int i = 300_000; i < 320_000; i++) v2[i] = (byte) (v1[i] ^ 0x5a);
        Path f1 = Files.write(tmp.resolve("v1"), v1);
        Path f2 = Files.write(tmp.resolve("v2"), v2);
        ImageManifest m1 = ImageManifest.of(f1);
        ImageManifest m2 = ImageManifest.of(f2);

        ContentImages node = new ContentImages(tmp.resolve("node"));
        assertThat(node.manifest(m1.toBinary())).isFalse(); // nothing to assemble yet
        assertThat(node.has(m1.digest())).isFalse();
        assertThat(node.chunks(ChunkPack.fromImage(f1, m1, m1.distinctChunks()))).isTrue();
        assertThat(node.has(m1.digest())).isTrue();

        // v2: a delta against v1's manifest, and only the chunks v1 does not have
        byte[] delta = ManifestDelta.encode(m2, m1);
        assertThat(delta.length).isLessThan(m2.toBinary().length);
        node.manifest(delta);
        var missing = node.store().missing(m2);
        assertThat(missing.size()).isLessThan(m2.chunks().size() / 4);
        assertThat(node.chunks(ChunkPack.fromImage(f2, m2, missing))).isTrue();
        assertThat(Files.readAllBytes(node.store().path(m2.digest()).orElseThrow())).isEqualTo(v2);

        App app = new App(new Metadata("demo", null, java.util.Map.of()),
                new AppSpec(m2.digest(), null, null, List.of(), java.util.Map.of(), null, null, List.of(), List.of()));
        assertThat(node.resolve(app).spec().image()).isEqualTo(node.store().path(m2.digest()).orElseThrow().toString());
    }

    @Test
    void aDeltaAgainstAManifestTheNodeNeverHadIsRefusedByName() throws Exception {
        byte[] a = new byte[100_000];
        new Random(1).nextBytes(a);
        Path f = Files.write(tmp.resolve("a"), a);
        ImageManifest base = ImageManifest.of(f);
        a[5] ^= 1;
        ImageManifest next = ImageManifest.of(Files.write(tmp.resolve("b"), a));
        ContentImages node = new ContentImages(tmp.resolve("node"));
        assertThatThrownBy(() -> node.manifest(ManifestDelta.encode(next, base)))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.path()).isEqualTo("base"));
    }

    @Test
    void anImageThatNoLongerMatchesItsDigestIsNotLaunched() throws Exception {
        byte[] a = new byte[50_000];
        new Random(3).nextBytes(a);
        Path f = Files.write(tmp.resolve("a"), a);
        ImageManifest m = ImageManifest.of(f);
        ContentImages node = new ContentImages(tmp.resolve("node"));
        node.manifest(m.toBinary());
        node.chunks(ChunkPack.fromImage(f, m, m.distinctChunks()));
        Path file = node.store().path(m.digest()).orElseThrow();
        byte[] bad = Files.readAllBytes(file);
        bad[100] ^= 1;
        Files.write(file, bad);
        App app = new App(new Metadata("demo", null, java.util.Map.of()),
                new AppSpec(m.digest(), null, null, List.of(), java.util.Map.of(), null, null, List.of(), List.of()));
        assertThatThrownBy(() -> node.resolve(app))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.getMessage()).contains("no longer matches"));
        App missing = new App(app.metadata(), new AppSpec("sha256:" + "0".repeat(64), null, null, List.of(),
                java.util.Map.of(), null, null, List.of(), List.of()));
        assertThatThrownBy(() -> node.resolve(missing))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.getMessage()).contains("not on this node"));
    }
}
