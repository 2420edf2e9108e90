package io.orchide.twin.sensor;

import java.nio.charset.StandardCharsets;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014): a well-mixed 64-bit hash ({@link #mix}) and the small generator built on
 * it. Used to derive every random choice of a synthetic scene from its inputs, so that the same inputs always give the
 * same bytes, on any JVM. An instance is a sequence; not thread-safe.
 */
final class SplitMix64 {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** A double uniform in [0, 1). */
    double nextDouble() {
        return unit(nextLong());
    }

    /** The finalizer of SplitMix64: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Hash of two values, order-sensitive. */
    static long hash(long a, long b) {
        return mix(mix(a + GOLDEN) + b);
    }

    /** Hash of a string's UTF-8 bytes and length. */
    static long hash(String s) {
        long h = GOLDEN;
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) h = mix(h + (b & 0xFF));
        return mix(h + bytes.length);
    }

    /** The top 53 bits of {@code bits} as a double in [0, 1). */
    static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
