package io.orchide.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ImageStoreTest {
    @TempDir
    Path dir;

    @Test
    void groundToNodeRoundTripAssemblesAndVerifies() throws Exception {
        byte[] data = TestData.random(51, 1_500_000);
        Path file = dir.resolve("app.img");
        Files.write(file, data);
        ImageManifest m = ImageManifest.fromJson(ImageManifest.of(file).toJson());   // as received over the link
        ImageStore node = new ImageStore(dir.resolve("node"));
        assertThat(node.path(m.digest())).isEmpty();
        assertThat(node.verify(m.digest())).isFalse();
        assertThat(node.missing(m)).isEqualTo(m.distinctChunks());
        byte[] pack = ChunkPack.fromImage(file, m, DeltaPlan.of(m, node.heldChunks()).send());
        node.putPack(pack);
        assertThat(node.missing(m)).isEmpty();
        assertThat(node.heldChunks()).hasSize(m.distinctChunks().size());
        Path img = node.assemble(m);
        assertThat(img).isEqualTo(node.dir().resolve("images/sha256/" + Digests.hex(m.digest())));
        assertThat(Files.readAllBytes(img)).isEqualTo(data);
        assertThat(node.path(m.digest())).contains(img);
        assertThat(node.verify(m.digest())).isTrue();
        assertThat(node.assemble(m)).isEqualTo(img);
        assertThat(tmpFiles(node)).isEmpty();
    }

    @Test
    void aCorruptedChunkFileIsFoundAtAssembleAndLeavesNoImage() throws IOException {
        ImageStore store = new ImageStore(dir);
        byte[] data = TestData.random(52, 200_000);
        Path file = dir.resolve("src");
        Files.write(file, data);
        ImageManifest m = ImageManifest.of(file);
        for (ChunkRef c : m.chunks()) {
            store.put(c, slice(data, m, c));
        }
        ChunkRef victim = m.chunks().get(2);
        Path chunkFile = dir.resolve("chunks").resolve(victim.hex());
        byte[] bad = Files.readAllBytes(chunkFile);
        bad[100] ^= 0x40;
        Files.write(chunkFile, bad);
        ImageException e = catchThrowableOfType(ImageException.class, () -> store.assemble(m));
        assertThat(e.path()).isEqualTo("chunks[2]");
        assertThat(e).hasMessageContaining("corrupt").hasMessageContaining(victim.digest());
        assertThat(store.path(m.digest())).isEmpty();
        assertThat(tmpFiles(store)).isEmpty();
        assertThat(store.missing(m)).containsExactly(victim);   // removed, so it is asked for again
        store.put(slice(data, m, victim));
        assertThat(Files.readAllBytes(store.assemble(m))).isEqualTo(data);
    }

    @Test
    void aMissingChunkIsNamedAndNothingIsWritten() throws IOException {
        ImageStore store = new ImageStore(dir);
        Path file = dir.resolve("src");
        Files.write(file, TestData.random(53, 100_000));
        ImageManifest m = ImageManifest.of(file);
        ImageException e = catchThrowableOfType(ImageException.class, () -> store.assemble(m));
        assertThat(e.path()).isEqualTo("chunks[0]");
        assertThat(e.value()).isEqualTo(m.chunks().get(0).digest());
        assertThat(store.path(m.digest())).isEmpty();
    }

    @Test
    void aWholeThatDoesNotHashToTheManifestLeavesNoFile() throws IOException {
        ImageStore store = new ImageStore(dir);
        ChunkRef a = store.put(new byte[] {1, 2, 3});
        ImageManifest lying = new ImageManifest("sha256:" + "0".repeat(64), 3, List.of(a));
        ImageException e = catchThrowableOfType(ImageException.class, () -> store.assemble(lying));
        assertThat(e.path()).isEqualTo("digest");
        assertThat(e.value()).isEqualTo(a.digest());
        assertThat(store.path(lying.digest())).isEmpty();
        assertThat(tmpFiles(store)).isEmpty();
    }

    @Test
    void repeatedChunksAreStoredOnceAndAssembledInPlace() throws IOException {
        byte[] block = TestData.random(54, 100_000);
        byte[] data = new byte[block.length * 6];
        for (int i = 0; i < 6; i++) {
            System.arraycopy(block, 0, data, i * block.length, block.length);
        }
        Path file = dir.resolve("rep");
        Files.write(file, data);
        ImageStore store = new ImageStore(dir.resolve("s"));
        ImageManifest m = store.importFile(file);
        assertThat(m.chunks().size()).isGreaterThan(m.distinctChunks().size());
        assertThat(store.heldChunks()).hasSameSizeAs(m.distinctChunks());
        assertThat(Files.readAllBytes(store.path(m.digest()).orElseThrow())).isEqualTo(data);
        assertThat(store.verify(m.digest())).isTrue();
    }

    @Test
    void anEmptyFileIsAnImageWithNoChunks() throws IOException {
        Path file = dir.resolve("empty");
        Files.write(file, new byte[0]);
        ImageStore store = new ImageStore(dir.resolve("s"));
        ImageManifest m = store.importFile(file);
        assertThat(m.digest()).isEqualTo(ImageManifest.EMPTY_DIGEST);
        assertThat(m.size()).isZero();
        assertThat(m.chunks()).isEmpty();
        assertThat(store.missing(m)).isEmpty();
        assertThat(Files.size(store.path(m.digest()).orElseThrow())).isZero();
        assertThat(store.verify(m.digest())).isTrue();
    }

    @Test
    void verifyFindsAnImageCorruptedAfterAssembly() throws IOException {
        Path file = dir.resolve("src");
        Files.write(file, TestData.random(55, 50_000));
        ImageStore store = new ImageStore(dir.resolve("s"));
        ImageManifest m = store.importFile(file);
        Path img = store.path(m.digest()).orElseThrow();
        byte[] b = Files.readAllBytes(img);
        b[0] ^= 1;
        Files.write(img, b);
        assertThat(store.verify(m.digest())).isFalse();
    }

    @Test
    void putRefusesBytesThatAreNotTheExpectedChunk() throws IOException {
        ImageStore store = new ImageStore(dir);
        ChunkRef expected = ChunkRef.of(new byte[] {1, 2, 3});
        ImageException e = catchThrowableOfType(ImageException.class, () -> store.put(expected, new byte[] {1, 2, 4}));
        assertThat(e).hasMessageContaining(expected.digest());
        assertThat(store.heldChunks()).isEmpty();
        assertThat(store.has(expected)).isFalse();
        store.put(expected, new byte[] {1, 2, 3});
        assertThat(store.has(expected)).isTrue();
        assertThat(store.chunk(expected)).hasValueSatisfying(d -> assertThat(d).containsExactly(1, 2, 3));
    }

    @Test
    void leftoversOfAnInterruptedWriteAreRemovedOnOpen() throws IOException {
        new ImageStore(dir);
        Files.write(dir.resolve("tmp/chunk-123.part"), new byte[] {1, 2});
        Files.write(dir.resolve("tmp/image-456.part"), new byte[] {3});
        ImageStore reopened = new ImageStore(dir);
        assertThat(tmpFiles(reopened)).isEmpty();
        assertThat(reopened.heldChunks()).isEmpty();
    }

    @Test
    void digestsThatAreNotSha256HexAreRefusedBeforeTouchingTheDisk() throws IOException {
        ImageStore store = new ImageStore(dir);
        assertThatThrownBy(() -> store.path("sha256:../../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.verify("../x")).isInstanceOf(IllegalArgumentException.class);
        Files.write(dir.resolve("chunks/not-a-digest"), new byte[] {1});
        assertThat(store.heldChunks()).isEqualTo(Set.of());
    }

    private static byte[] slice(byte[] data, ImageManifest m, ChunkRef want) {
        long off = 0;
        for (ChunkRef c : m.chunks()) {
            if (c.equals(want)) {
                return java.util.Arrays.copyOfRange(data, (int) off, (int) (off + c.size()));
            }
            off += c.size();
        }
        throw new AssertionError(want);
    }

    private static List<Path> tmpFiles(ImageStore s) throws IOException {
        try (Stream<Path> l = Files.list(s.dir().resolve("tmp"))) {
            return l.toList();
        }
    }
}
