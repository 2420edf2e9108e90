package io.orchide.image;

import java.util.SplittableRandom;

/** Deterministic pseudo-random bytes (SplitMix64, written out so the figures never depend on the JDK). */
final class TestData {
    private TestData() {
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        long s = seed;
        for (int i = 0; i < n; i += 8) {
            s += 0x9E3779B97F4A7C15L;
            long z = s;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            for (int k = 0; k < 8 && i + k < n; k++) {
                b[i + k] = (byte) (z >>> (8 * k));
            }
        }
        return b;
    }

    static byte[] splice(byte[] base, int at, int remove, byte[] insert) {
        byte[] out = new byte[base.length - remove + insert.length];
        System.arraycopy(base, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(base, at + remove, out, at + insert.length, base.length - at - remove);
        return out;
    }

    static SplittableRandom rnd(long seed) {
        return new SplittableRandom(seed);
    }
}
