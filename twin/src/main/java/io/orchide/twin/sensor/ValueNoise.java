package io.orchide.twin.sensor;

/**
 * Fractal value noise on a square grid: each octave is a lattice of pseudo-random values (a pure function of the seed,
 * the octave and the lattice point), interpolated with a smoothstep; octaves double the frequency and halve the
 * amplitude. Values are in [0, 1). Coordinates are in lattice cells of the first octave. Immutable once built.
 */
final class ValueNoise {
    private final int octaves;
    private final double[][] lattices;
    private final int[] strides;
    private final double[] offsets;
    private final double norm;

    /**
     * Noise over {@code [0, extent) x [0, extent)} first-octave cells, with {@code octaves} octaves, derived from
     * {@code seed}.
     */
    ValueNoise(long seed, double extent, int octaves) {
        this.octaves = octaves;
        this.lattices = new double[octaves][];
        this.strides = new int[octaves];
        this.offsets = new double[octaves * 2];
        double amplitudes = 0;
        SplitMix64 rng = new SplitMix64(seed);
        for (int o = 0; o < octaves; o++) {
            int cells = (int) Math.ceil(extent * (1 << o)) + 2;
            strides[o] = cells;
            offsets[2 * o] = rng.nextDouble();
            offsets[2 * o + 1] = rng.nextDouble();
            long octaveSeed = rng.nextLong();
            double[] lattice = new double[cells * cells];
            for (int i = 0; i < lattice.length; i++) lattice[i] = SplitMix64.unit(SplitMix64.hash(octaveSeed, i));
            lattices[o] = lattice;
            amplitudes += 1.0 / (1 << o);
        }
        this.norm = 1 / amplitudes;
    }

    /** The noise at ({@code x}, {@code y}), in first-octave cells within the extent. */
    double at(double x, double y) {
        double sum = 0;
        for (int o = 0; o < octaves; o++) {
            double f = 1 << o;
            sum += octave(o, x * f + offsets[2 * o], y * f + offsets[2 * o + 1]) / f;
        }
        return sum * norm;
    }

    private double octave(int o, double x, double y) {
        int ix = (int) x;
        int iy = (int) y;
        double fx = smooth(x - ix);
        double fy = smooth(y - iy);
        double[] l = lattices[o];
        int row = iy * strides[o] + ix;
        double top = l[row] + (l[row + 1] - l[row]) * fx;
        int next = row + strides[o];
        double bottom = l[next] + (l[next + 1] - l[next]) * fx;
        return top + (bottom - top) * fy;
    }

    private static double smooth(double t) {
        return t * t * (3 - 2 * t);
    }
}
