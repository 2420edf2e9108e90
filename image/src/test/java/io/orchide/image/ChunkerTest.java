package io.orchide.image;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkerTest {
    private static final Chunker C = Chunker.DEFAULT;

    @Test
    void gearTableIsSplitMix64FromTheFixedSeed() {
        long s = Chunker.GEAR_SEED;
        for (int i = 0; i < 256; i++) {
            s += 0x9E3779B97F4A7C15L;
            long z = s;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            assertThat(Chunker.GEAR[i]).as("GEAR[%d]", i).isEqualTo(z);
        }
        assertThat(Chunker.GEAR).hasSize(256);
    }

    @Test
    void cutPointsNeverChange() {
        // Ground and node must cut identically forever: these are the first chunk lengths of a fixed input.
        List<Integer> lengths = C.lengths(TestData.random(7, 200_000));
        assertThat(lengths.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200_000);
        assertThat(lengths.subList(0, 8)).isEqualTo(GOLDEN);
    }

    static final List<Integer> GOLDEN = List.of(4729, 4042, 9035, 3344, 9334, 9967, 10323, 5855);

    @Test
    void sizesStayWithinMinAndMaxAndAverageNearTheTarget() {
        byte[] data = TestData.random(1, 4 << 20);
        List<Integer> lengths = C.lengths(data);
        for (int i = 0; i < lengths.size() - 1; i++) {
            assertThat(lengths.get(i)).isBetween(C.minSize(), C.maxSize());
        }
        double mean = (double) data.length / lengths.size();
        assertThat(mean).isBetween(C.avgSize() * 0.8, C.avgSize() * 1.5);
    }

    @Test
    void streamingCutsLikeTheWholeArrayWhateverTheReadSizes() throws IOException {
        byte[] data = TestData.random(3, 1 << 20);
        SplittableRandom rnd = new SplittableRandom(5);
        InputStream dribble = new ByteArrayInputStream(data) {
            @Override public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + rnd.nextInt(20_000)));
            }
        };
        List<Integer> streamed = new ArrayList<>();
        long total = C.split(dribble, (b, off, len) -> streamed.add(len));
        assertThat(total).isEqualTo(data.length);
        assertThat(streamed).isEqualTo(C.lengths(data));
    }

    @Test
    void anInsertionEarlyInTheFileKeepsAlmostEveryChunk() {
        byte[] base = TestData.random(11, 2 << 20);
        byte[] v2 = TestData.splice(base, 1000, 0, TestData.random(12, 100));
        assertThat(sharedFraction(base, v2)).isGreaterThan(0.97);
    }

    @Test
    void aDeletionEarlyInTheFileKeepsAlmostEveryChunk() {
        byte[] base = TestData.random(13, 2 << 20);
        byte[] v2 = TestData.splice(base, 5000, 333, new byte[0]);
        assertThat(sharedFraction(base, v2)).isGreaterThan(0.97);
    }

    @Test
    void aFileOfZerosAndASmallFileAreCut() {
        assertThat(C.lengths(new byte[0])).isEmpty();
        assertThat(C.lengths(new byte[100])).containsExactly(100);
        List<Integer> zeros = C.lengths(new byte[300_000]);
        assertThat(zeros.stream().mapToInt(Integer::intValue).sum()).isEqualTo(300_000);
    }

    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> new Chunker(2048, 6000, 65536)).hasMessageContaining("6000");
        assertThatThrownBy(() -> new Chunker(8192, 8192, 65536)).hasMessageContaining("8192");
        assertThatThrownBy(() -> new Chunker(2048, 8192, 2 << 20)).hasMessageContaining(Integer.toString(2 << 20));
    }

    /** Fraction of v2's chunks (by count) that base already has. */
    static double sharedFraction(byte[] base, byte[] v2) {
        Set<String> have = new HashSet<>();
        int off = 0;
        for (int len : C.lengths(base)) {
            have.add(Digests.sha256(base, off, len));
            off += len;
        }
        int shared = 0;
        List<Integer> l2 = C.lengths(v2);
        off = 0;
        for (int len : l2) {
            if (have.contains(Digests.sha256(v2, off, len))) {
                shared++;
            }
            off += len;
        }
        return (double) shared / l2.size();
    }
}
