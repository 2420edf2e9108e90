package io.orchide.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChunkPackTest {
    private static final byte[] ONE = TestData.random(41, 5000);
    private static final byte[] TWO = TestData.random(42, 300);
    private static final byte[] THREE = TestData.random(43, 9000);

    @Test
    void roundTrip() throws ImageException {
        byte[] pack = ChunkPack.encode(List.of(ONE, TWO, THREE));
        assertThat(pack).hasSize(ONE.length + TWO.length + THREE.length + 3 * ChunkPack.FRAME_BYTES);
        List<ChunkPack.Chunk> chunks = ChunkPack.decode(pack);
        assertThat(chunks).extracting(ChunkPack.Chunk::ref)
                .containsExactly(ChunkRef.of(ONE), ChunkRef.of(TWO), ChunkRef.of(THREE));
        assertThat(chunks.get(2).data()).isEqualTo(THREE);
        assertThat(ChunkPack.decode(new byte[0])).isEmpty();
    }

    @Test
    void aTruncatedPackIsRefusedNamingTheChunk() {
        byte[] pack = ChunkPack.encode(List.of(ONE, TWO));
        int secondRecord = ChunkPack.FRAME_BYTES + ONE.length;
        ImageException body = refused(Arrays.copyOf(pack, pack.length - 1));
        assertThat(body.path()).isEqualTo("chunks[1].length");
        assertThat(body.value()).isEqualTo("300");
        assertThat(body).hasMessageContaining("truncated");
        ImageException header = refused(Arrays.copyOf(pack, secondRecord + 10));
        assertThat(header.path()).isEqualTo("chunks[1]");
        assertThat(header.value()).isEqualTo("10 bytes");
    }

    @Test
    void aCorruptChunkIsRefusedWithItsDigest() {
        byte[] pack = ChunkPack.encode(List.of(ONE, TWO, THREE));
        pack[2 * ChunkPack.FRAME_BYTES + ONE.length + 7] ^= 1;   // a byte of the second chunk's data
        ImageException e = refused(pack);
        assertThat(e.path()).isEqualTo("chunks[1].digest");
        assertThat(e.value()).isEqualTo(ChunkRef.of(TWO).digest());
        assertThat(e).hasMessageContaining("hash to");
    }

    @Test
    void aLengthOverTheMaximumOrZeroIsRefused() {
        byte[] pack = ChunkPack.encode(List.of(ONE));
        ByteBuffer.wrap(pack).putInt(32, 0x7fff_ffff);
        ImageException e = refused(pack);
        assertThat(e.path()).isEqualTo("chunks[0].length");
        assertThat(e.value()).isEqualTo(Integer.toString(0x7fff_ffff));
        ByteBuffer.wrap(pack).putInt(32, -1);
        assertThat(refused(pack).value()).isEqualTo("4294967295");
        ByteBuffer.wrap(pack).putInt(32, 0);
        assertThat(refused(pack).value()).isEqualTo("0");
        byte[] ok = ChunkPack.encode(List.of(ONE));
        ImageException small = catchThrowableOfType(ImageException.class, () -> ChunkPack.decode(ok, 4096));
        assertThat(small.value()).isEqualTo("5000");
    }

    @Test
    void aBadPackStoresNothing(@TempDir Path dir) throws IOException {
        ImageStore store = new ImageStore(dir);
        byte[] pack = ChunkPack.encode(List.of(ONE, TWO, THREE));
        pack[pack.length - 1] ^= 1;
        catchThrowableOfType(ImageException.class, () -> store.putPack(pack));
        assertThat(store.heldChunks()).isEmpty();
    }

    @Test
    void packsThePlannedChunksOfAnImageFile(@TempDir Path dir) throws IOException {
        byte[] v1 = TestData.random(44, 400_000);
        byte[] v2 = TestData.splice(v1, 200_000, 0, TestData.random(45, 20_000));
        Path f = dir.resolve("v2");
        Files.write(f, v2);
        ImageManifest m2 = ImageManifest.of(f);
        ImageStore node = new ImageStore(dir.resolve("node"));
        Path old = dir.resolve("v1");
        Files.write(old, v1);
        node.importFile(old);
        DeltaPlan plan = DeltaPlan.of(m2, node.heldChunks());
        byte[] pack = ChunkPack.fromImage(f, m2, plan.send());
        assertThat(pack).hasSize((int) plan.packBytes());
        assertThat(node.putPack(pack)).containsExactlyElementsOf(plan.send());
        assertThat(node.missing(m2)).isEmpty();
        Path built = node.assemble(m2);
        assertThat(Files.readAllBytes(built)).isEqualTo(v2);
        Files.write(f, v1);   // the image changed under its manifest
        assertThat(catchThrowableOfType(ImageException.class, () -> ChunkPack.fromImage(f, m2, plan.send())))
                .hasMessageContaining("no longer matches");
        assertThat(catchThrowableOfType(ImageException.class,
                () -> ChunkPack.fromImage(f, m2, Set.of(ChunkRef.of(new byte[] {9})))).path()).isEqualTo("wanted[0]");
    }

    private static ImageException refused(byte[] pack) {
        ImageException e = catchThrowableOfType(ImageException.class, () -> ChunkPack.decode(pack));
        assertThat(e).isNotNull();
        return e;
    }
}
