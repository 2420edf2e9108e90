package io.orchide.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestDeltaTest {
    private static final int TEN_MIB = 10 << 20;
    private static final int HUNDRED_KB = 100 * 1000;
    private static final int HEADER = 4 + 32 + 32;

    private static byte[] v1;
    private static ImageManifest m1;

    @BeforeAll
    static void base() throws IOException {
        v1 = TestData.random(41, TEN_MIB);
        m1 = manifest(v1);
    }

    static ImageManifest manifest(byte[] data) throws IOException {
        return ImageManifest.of(new ByteArrayInputStream(data), Chunker.DEFAULT, null);
    }

    private static ImageManifest roundTrip(ImageManifest target, ImageManifest base) throws ImageException {
        byte[] delta = ManifestDelta.encode(target, base);
        assertThat(ManifestDelta.baseDigest(delta)).isEqualTo(base.digest());
        assertThat(ManifestDelta.targetDigest(delta)).isEqualTo(target.digest());
        ImageManifest back = ManifestDelta.apply(delta, base);
        assertThat(back).isEqualTo(target);
        return back;
    }

    @Test
    void oneRegionOverwrittenRoundTripsInUnderTwoKilobytes() throws IOException {
        ImageManifest m2 = manifest(TestData.splice(v1, 3_333_333, HUNDRED_KB, TestData.random(42, HUNDRED_KB)));
        roundTrip(m2, m1);
        int n = ManifestDelta.encode(m2, m1).length;
        System.out.printf("delta manifest, 100 KB overwritten in 10 MiB: %d bytes (binary %d, JSON %d)%n", n,
                m2.toBinary().length, m2.toJson().length);
        assertThat(n).isLessThan(2_000);
    }

    @Test
    void insertRoundTripsInUnderTwoKilobytes() throws IOException {
        ImageManifest m2 = manifest(TestData.splice(v1, 1_234_567, 0, TestData.random(43, HUNDRED_KB)));
        roundTrip(m2, m1);
        int n = ManifestDelta.encode(m2, m1).length;
        System.out.printf("delta manifest, 100 KB inserted in 10 MiB: %d bytes%n", n);
        assertThat(n).isLessThan(2_000);
    }

    @Test
    void tenScatteredEditsRoundTripAtUnderTwoKilobytesEach() throws IOException {
        byte[] v2 = v1.clone();
        for (int i = 0; i < 10; i++) {
            byte[] r = TestData.random(50 + i, 10_000);
            System.arraycopy(r, 0, v2, (int) ((long) TEN_MIB * (2 * i + 1) / 20), r.length);
        }
        ImageManifest m2 = manifest(v2);
        roundTrip(m2, m1);
        int n = ManifestDelta.encode(m2, m1).length;
        System.out.printf("delta manifest, 10 x 10 KB scattered in 10 MiB: %d bytes%n", n);
        assertThat(n).isLessThan(10 * 2_000);
    }

    @Test
    void edgeCasesRoundTrip() throws IOException {
        ImageManifest empty = manifest(new byte[0]);
        ImageManifest small = manifest(TestData.random(44, 300_000));
        roundTrip(m1, m1);
        assertThat(ManifestDelta.encode(m1, m1).length).isLessThan(HEADER + 10);
        roundTrip(empty, m1);
        roundTrip(m1, empty);
        roundTrip(empty, empty);
        roundTrip(small, m1);
        // Reordered and repeated chunks of the base.
        List<ChunkRef> c = small.chunks();
        byte[] whole = TestData.random(44, 300_000);
        byte[] twice = new byte[whole.length * 2];
        System.arraycopy(whole, 0, twice, 0, whole.length);
        System.arraycopy(whole, 0, twice, whole.length, whole.length);
        ImageManifest doubled = manifest(twice);
        roundTrip(doubled, small);
        ImageManifest reversed = new ImageManifest(small.digest(), small.size(),
                c.reversed());
        roundTrip(reversed, small);
        assertThat(ManifestDelta.encode(reversed, small).length).isLessThanOrEqualTo(HEADER + 4 + 3 * c.size());
    }

    @Test
    void aDeltaForAnotherBaseIsRefusedNamingTheBase() throws IOException {
        ImageManifest m2 = manifest(TestData.splice(v1, 5_000_000, HUNDRED_KB, TestData.random(45, HUNDRED_KB)));
        byte[] delta = ManifestDelta.encode(m2, m1);
        assertThatThrownBy(() -> ManifestDelta.apply(delta, m2))
                .isInstanceOfSatisfying(ImageException.class, e -> {
                    assertThat(e.path()).isEqualTo("base");
                    assertThat(e.value()).isEqualTo(m1.digest());
                    assertThat(e.getMessage()).contains(m2.digest());
                });
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        ImageManifest m2 = manifest(TestData.splice(v1, 3_333_333, HUNDRED_KB, TestData.random(46, HUNDRED_KB)));
        byte[] delta = ManifestDelta.encode(m2, m1);
        for (int n = 0; n < delta.length; n++) {
            byte[] cut = Arrays.copyOf(delta, n);
            assertThatThrownBy(() -> ManifestDelta.apply(cut, m1)).as("cut at %d", n)
                    .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.path()).isNotBlank());
        }
        assertThatThrownBy(() -> ManifestDelta.apply(Arrays.copyOf(delta, 10), m1))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.path()).isEqualTo("base"));
        assertThatThrownBy(() -> ManifestDelta.baseDigest(new byte[3]))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.path()).isEqualTo("magic"));
    }

    @Test
    void corruptDeltasAreRefusedWithTheFieldNamed() throws IOException {
        ImageManifest m2 = manifest(TestData.splice(v1, 3_333_333, HUNDRED_KB, TestData.random(47, HUNDRED_KB)));
        byte[] good = ManifestDelta.encode(m2, m1);

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertRefused(magic, "magic");
        byte[] version = good.clone();
        version[3] = 9;
        assertRefused(version, "version");
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertRefused(trailing, "trailing");

        String base = m1.digest();
        String target = m2.digest();
        // COPY past the end of the base, COPY of 0 chunks, COPY running off the end, unknown op.
        assertRefused(delta(base, target, m2.size(), 1, out -> copy(out, m1.chunks().size(), 1)), "ops[0].index",
                Integer.toString(m1.chunks().size()));
        assertRefused(delta(base, target, m2.size(), 1, out -> copy(out, 0, 0)), "ops[0].count", "0");
        assertRefused(delta(base, target, m2.size(), 1, out -> copy(out, 5, m1.chunks().size())), "ops[0].count",
                Integer.toString(m1.chunks().size()));
        assertRefused(delta(base, target, m2.size(), 1, out -> {
            out.write(7);
            out.write(0);
            out.write(1);
        }), "ops[0].op", "7");
        // More ops, or more ADD chunks, than the bytes could hold.
        assertRefused(delta(base, target, m2.size(), 1_000_000, out -> copy(out, 0, 1)), "ops", "1000000");
        assertRefused(delta(base, target, m2.size(), 1, out -> {
            out.write(ManifestDelta.ADD);
            ManifestCodec.writeVarint(out, 1L << 40);
        }), "ops[0].count", Long.toString(1L << 40));
        // A chunk size of 0 or over the maximum.
        assertRefused(delta(base, target, m2.size(), 1, out -> {
            out.write(ManifestDelta.ADD);
            ManifestCodec.writeVarint(out, 1);
            out.write(new byte[32], 0, 32);
            ManifestCodec.writeVarint(out, 0);
        }), "ops[0].chunks[0].size", "0");
        assertRefused(delta(base, target, m2.size(), 1, out -> {
            out.write(ManifestDelta.ADD);
            ManifestCodec.writeVarint(out, 1);
            out.write(new byte[32], 0, 32);
            ManifestCodec.writeVarint(out, ChunkRef.MAX_SIZE + 1);
        }), "ops[0].chunks[0].size", Integer.toString(ChunkRef.MAX_SIZE + 1));
        // Sizes that do not add up: too few chunks for the size, or more than the size.
        assertRefused(delta(base, target, m2.size(), 1, out -> copy(out, 0, 3)), "size", Long.toString(m2.size()));
        assertRefused(delta(base, target, 10, 1, out -> copy(out, 0, 3)), "ops[0].count", "3");
        // Too many chunks for the bound, built from COPYs of the whole base.
        int whole = m1.chunks().size();
        int copies = ManifestDelta.MAX_CHUNKS / whole + 1;
        assertRefused(delta(base, target, Long.MAX_VALUE, copies, out -> {
            for (int i = 0; i < copies; i++) {
                copy(out, 0, whole);
            }
        }), "ops[" + (copies - 1) + "].count", Integer.toString(whole));
        // A varint that is not minimal, or over 63 bits.
        byte[] longSize = delta(base, target, 0, 0, out -> { });
        byte[] padded = Arrays.copyOf(longSize, longSize.length + 1);
        padded[HEADER] = (byte) 0x80;
        padded[HEADER + 1] = 0;
        padded[HEADER + 2] = 0;
        assertRefused(padded, "size");
        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        huge.write(good, 0, HEADER);
        for (int i = 0; i < 9; i++) {
            huge.write(0xFF);
        }
        huge.write(0x01);
        huge.write(0);
        assertRefused(huge.toByteArray(), "size");
    }

    interface Ops {
        void write(ByteArrayOutputStream out);
    }

    private static void copy(ByteArrayOutputStream out, long index, long count) {
        out.write(ManifestDelta.COPY);
        ManifestCodec.writeVarint(out, index);
        ManifestCodec.writeVarint(out, count);
    }

    private static byte[] delta(String base, String target, long size, long ops, Ops body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('O');
        out.write('M');
        out.write('D');
        out.write(ManifestDelta.VERSION);
        out.write(Digests.raw(base), 0, 32);
        out.write(Digests.raw(target), 0, 32);
        ManifestCodec.writeVarint(out, size);
        ManifestCodec.writeVarint(out, ops);
        body.write(out);
        return out.toByteArray();
    }

    private static void assertRefused(byte[] delta, String path) {
        assertThatThrownBy(() -> ManifestDelta.apply(delta, m1))
                .isInstanceOfSatisfying(ImageException.class, e -> assertThat(e.path()).isEqualTo(path));
    }

    private static void assertRefused(byte[] delta, String path, String value) {
        assertThatThrownBy(() -> ManifestDelta.apply(delta, m1))
                .isInstanceOfSatisfying(ImageException.class, e -> {
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.value()).isEqualTo(value);
                });
    }
}
