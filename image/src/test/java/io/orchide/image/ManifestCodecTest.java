package io.orchide.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestCodecTest {
    static ImageManifest manifest(byte[] data) throws IOException {
        return ImageManifest.of(new ByteArrayInputStream(data), Chunker.DEFAULT, null);
    }

    @Test
    void aTenMebibyteManifestRoundTripsAtUnderHalfTheJson() throws IOException {
        ImageManifest m = manifest(TestData.random(61, 10 << 20));
        byte[] bin = m.toBinary();
        assertThat(ImageManifest.fromBinary(bin)).isEqualTo(m);
        assertThat(ManifestCodec.decode(ManifestCodec.encode(m))).isEqualTo(m);
        System.out.printf("manifest of 10 MiB, %d chunks: binary %d bytes, JSON %d%n", m.chunks().size(), bin.length,
                m.toJson().length);
        assertThat(bin.length).isLessThan(m.toJson().length / 2);
        assertThat(bin.length).isLessThanOrEqualTo(4 + 32 + 4 + 2 + m.chunks().size() * 35);
    }

    @Test
    void emptyAndRepeatedManifestsRoundTrip() throws IOException {
        ImageManifest empty = manifest(new byte[0]);
        assertThat(ImageManifest.fromBinary(empty.toBinary())).isEqualTo(empty);
        ChunkRef a = ChunkRef.of(new byte[] {1, 2, 3});
        byte[] whole = {1, 2, 3, 1, 2, 3};
        ImageManifest m = new ImageManifest(Digests.sha256(whole, 0, 6), 6, List.of(a, a));
        assertThat(ImageManifest.fromBinary(m.toBinary())).isEqualTo(m);
    }

    @Test
    void everyTruncationAndTrailingBytesAreRefused() throws IOException {
        byte[] bin = manifest(TestData.random(62, 200_000)).toBinary();
        for (int n = 0; n < bin.length; n++) {
            byte[] cut = Arrays.copyOf(bin, n);
            assertThatThrownBy(() -> ImageManifest.fromBinary(cut)).as("cut at %d", n)
                    .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.path()).isNotBlank());
        }
        assertRefused(Arrays.copyOf(bin, bin.length + 1), "trailing");
        assertRefused(Arrays.copyOf(bin, 20), "digest");
    }

    @Test
    void corruptManifestsAreRefusedWithTheFieldNamed() throws IOException {
        ImageManifest m = manifest(TestData.random(63, 200_000));
        byte[] good = m.toBinary();
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertRefused(magic, "magic");
        byte[] version = good.clone();
        version[3] = 2;
        assertRefused(version, "version", "2");
        // A delta is not a manifest.
        assertRefused(ManifestDelta.encode(m, m), "magic");

        String d = m.digest();
        ChunkRef c0 = m.chunks().get(0);
        assertRefused(bin(d, m.size(), 1_000, List.of()), "count", "1000");
        assertRefused(bin(d, 5, 10, List.of()), "count", "10");
        assertRefused(bin(d, m.size(), 1, List.of(c0)), "size", Long.toString(m.size()));
        assertRefused(bin(d, 10, 1, List.of(c0)), "chunks[0].size", Long.toString(c0.size()));
        assertRefused(bin(Digests.sha256(new byte[1], 0, 1), 0, 0, List.of()), "digest");
        ByteArrayOutputStream zero = new ByteArrayOutputStream();
        zero.write(bin(d, 1, 0, List.of()), 0, 4 + 32 + 1);
        ManifestCodec.writeVarint(zero, 1);
        zero.write(new byte[32], 0, 32);
        ManifestCodec.writeVarint(zero, 0);
        assertRefused(zero.toByteArray(), "chunks[0].size", "0");
        byte[] oversized = bin(d, 1, 0, List.of());
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.write(oversized, 0, 4 + 32);
        ManifestCodec.writeVarint(big, ChunkRef.MAX_SIZE + 1L);
        ManifestCodec.writeVarint(big, 1);
        big.write(new byte[32], 0, 32);
        ManifestCodec.writeVarint(big, ChunkRef.MAX_SIZE + 1L);
        assertRefused(big.toByteArray(), "chunks[0].size", Integer.toString(ChunkRef.MAX_SIZE + 1));
    }

    private static byte[] bin(String digest, long size, long count, List<ChunkRef> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('O');
        out.write('M');
        out.write('F');
        out.write(ManifestCodec.VERSION);
        out.write(Digests.raw(digest), 0, 32);
        ManifestCodec.writeVarint(out, size);
        ManifestCodec.writeVarint(out, count);
        for (ChunkRef c : chunks) {
            ManifestCodec.writeChunk(out, c);
        }
        return out.toByteArray();
    }

    private static void assertRefused(byte[] bin, String path) {
        assertThatThrownBy(() -> ImageManifest.fromBinary(bin))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.path()).isEqualTo(path));
    }

    private static void assertRefused(byte[] bin, String path, String value) {
        assertThatThrownBy(() -> ImageManifest.fromBinary(bin))
                .isInstanceOfSatisfying(ImageException.class, e -> {
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.value()).isEqualTo(value);
                });
    }
}
