package io.orchide.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaPlanTest {
    private static final int TEN_MB = 10 * 1000 * 1000;
    private static final int HUNDRED_KB = 100 * 1000;

    static ImageManifest manifest(byte[] data) throws IOException {
        return ImageManifest.of(new ByteArrayInputStream(data), Chunker.DEFAULT, null);
    }

    @Test
    void tenMegabytesWithOneHundredKilobytesOverwrittenSendsBetween100And200Kb() throws IOException {
        byte[] v1 = TestData.random(21, TEN_MB);
        byte[] v2 = TestData.splice(v1, 3_333_333, HUNDRED_KB, TestData.random(22, HUNDRED_KB));
        DeltaPlan plan = DeltaPlan.against(manifest(v2), manifest(v1));
        System.out.printf("overwrite 100 KB of 10 MB: %d chunks, %d bytes, %d on the wire%n",
                plan.chunkCount(), plan.bytes(), plan.wireBytes());
        assertThat(plan.bytes()).isBetween((long) HUNDRED_KB, 200_000L);
    }

    @Test
    void tenMegabytesWithOneHundredKilobytesInsertedSendsBetween100And200Kb() throws IOException {
        byte[] v1 = TestData.random(23, TEN_MB);
        byte[] v2 = TestData.splice(v1, 1_234_567, 0, TestData.random(24, HUNDRED_KB));
        DeltaPlan plan = DeltaPlan.against(manifest(v2), manifest(v1));
        System.out.printf("insert 100 KB into 10 MB: %d chunks, %d bytes, %d on the wire%n",
                plan.chunkCount(), plan.bytes(), plan.wireBytes());
        assertThat(plan.bytes()).isBetween((long) HUNDRED_KB, 200_000L);
    }

    @Test
    void aRepeatedChunkIsSentOnce() throws IOException {
        ChunkRef a = ChunkRef.of(new byte[] {1, 2, 3});
        ChunkRef b = ChunkRef.of(new byte[] {4, 5});
        byte[] whole = {1, 2, 3, 4, 5, 1, 2, 3, 1, 2, 3};
        ImageManifest m = new ImageManifest(Digests.sha256(whole, 0, whole.length), 11, List.of(a, b, a, a));
        DeltaPlan plan = DeltaPlan.of(m, Set.of());
        assertThat(plan.send()).containsExactly(a, b);
        assertThat(plan.bytes()).isEqualTo(5);
        assertThat(plan.packBytes()).isEqualTo(5 + 2 * ChunkPack.FRAME_BYTES);
        assertThat(DeltaPlan.of(m, Set.of(a.digest())).send()).containsExactly(b);
    }

    @Test
    void aReceiverHoldingEveryChunkGetsNothing() throws IOException {
        byte[] v1 = TestData.random(25, 300_000);
        ImageManifest m = manifest(v1);
        assertThat(DeltaPlan.against(m, m).send()).isEmpty();
        assertThat(DeltaPlan.against(m, m).bytes()).isZero();
        ImageManifest empty = manifest(new byte[0]);
        assertThat(DeltaPlan.of(empty, Set.of()).send()).isEmpty();
    }

    @Test
    void aNewReceiverGetsEveryDistinctChunkOnce() throws IOException {
        byte[] block = TestData.random(26, 70_000);
        byte[] v = new byte[block.length * 5];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(block, 0, v, i * block.length, block.length);
        }
        ImageManifest m = manifest(v);
        DeltaPlan plan = DeltaPlan.of(m, Set.of());
        assertThat(plan.send()).doesNotHaveDuplicates();
        assertThat(plan.bytes()).isLessThan(v.length / 2);
        assertThat(plan.send().stream().map(ChunkRef::digest).toList())
                .containsExactlyInAnyOrderElementsOf(m.chunks().stream().map(ChunkRef::digest).distinct().toList());
        assertThat(Arrays.equals(block, v)).isFalse();
    }
}
