package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Position;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Deterministic synthetic camera scenes: binary PGM images (P5, maxval 255) of ground under clouds, good enough to
 * exercise the cloud filter and everything downstream of a camera.
 *
 * <p>A scene is a pure function of (seed, camera, time to the second, width, height): the three seed the scene's
 * random generator through a SplitMix64 hash, and the size only resamples the same landscape. The position is written
 * into the header and does not change the pixels.
 *
 * <ul>
 *   <li><b>Ground</b>: land and sea from smooth value noise (sea about 20..70, land about 70..185, grain
 *       included), always strictly below {@link #CLOUD_MIN}.
 *   <li><b>Clouds</b>: fractal value noise (five octaves) thresholded so that the scene's drawn cloud fraction of its
 *       pixels is covered (to within one noise quantile bin); cloud pixels are {@value #CLOUD_MIN}..255, brighter
 *       towards the thick of the cloud, with a thin haze just outside it that brightens the ground but stays below
 *       {@value #CLOUD_MIN}.
 *   <li><b>Cloud fraction</b>: drawn per scene so that about half of the scenes are clear (cover below 28 %) and half
 *       cloudy (above 32 %); about 15 % are nearly cloudless (below 2 %) and 15 % nearly overcast (above 90 %). No
 *       scene falls between 28 % and 32 %, so a threshold of 30 % never sits on a knife edge.
 * </ul>
 *
 * <p>The header carries two comment lines that tools may read:
 *
 * <pre>
 * P5
 * # orchide-scene camera=sat-1 time=2026-12-01T00:12:00Z lat=48.1234 lon=11.5678
 * # orchide-scene cloud-fraction=0.2345
 * 256 256
 * 255
 * </pre>
 *
 * <p>Stateless and thread-safe. A 256x256 scene takes a few milliseconds.
 */
public final class SceneGenerator {
    /** The smallest pixel value of a cloud; every ground pixel is below it. */
    public static final int CLOUD_MIN = 200;
    /** The largest width or height accepted. */
    public static final int MAX_SIDE = 8192;
    /** Share of scenes drawn clear: cloud fraction in [0, 0.28). */
    static final double CLEAR_SHARE = 0.5;

    private static final int GROUND_CELLS = 3;
    private static final int CLOUD_CELLS = 4;
    private static final int BINS = 1 << 16;
    private static final double HAZE = 0.06;

    /** The binary PGM of the scene {@code camera} sees at {@code where} (its time) with the given seed and size. */
    public byte[] scene(long seed, String camera, Position where, int width, int height) {
        checkCamera(camera);
        if (where == null) throw new DeviceInputException("where", null, "is missing");
        checkSide("width", width);
        checkSide("height", height);
        Instant time = where.time().truncatedTo(ChronoUnit.SECONDS);
        SplitMix64 rng = new SplitMix64(sceneSeed(seed, camera, time));
        double fraction = cloudFraction(rng.nextDouble(), rng.nextDouble());
        long groundSeed = rng.nextLong();
        long cloudSeed = rng.nextLong();
        byte[] header = header(camera, time, where, fraction, width, height);
        byte[] out = new byte[header.length + width * height];
        System.arraycopy(header, 0, out, 0, header.length);
        byte[] ground = ground(groundSeed, width, height);
        clouds(cloudSeed, fraction, ground, width, height);
        System.arraycopy(ground, 0, out, header.length, ground.length);
        return out;
    }

    /** The seed of one scene: SplitMix64 of the camera seed, the camera name and the epoch second. */
    static long sceneSeed(long seed, String camera, Instant time) {
        return SplitMix64.hash(SplitMix64.hash(seed, SplitMix64.hash(camera)), time.getEpochSecond());
    }

    /**
     * The cloud fraction for two uniform draws: {@code pick} chooses the kind of sky, {@code u} the fraction within it
     * (see the class comment for the mixture).
     */
    static double cloudFraction(double pick, double u) {
        if (pick < 0.15) return 0.02 * u;
        if (pick < CLEAR_SHARE) return 0.02 + 0.26 * u;
        if (pick < 0.85) return 0.32 + 0.58 * u;
        return 0.90 + 0.10 * u;
    }

    /** The ground layer: land and sea, every value below {@link #CLOUD_MIN}. */
    static byte[] ground(long groundSeed, int width, int height) {
        SplitMix64 rng = new SplitMix64(groundSeed);
        double seaLevel = 0.38 + 0.24 * rng.nextDouble();
        long grainSeed = rng.nextLong();
        int side = Math.max(width, height);
        double scale = (double) GROUND_CELLS / side;
        ValueNoise land = new ValueNoise(rng.nextLong(), GROUND_CELLS, 3);
        ValueNoise detail = new ValueNoise(rng.nextLong(), GROUND_CELLS * 4, 2);
        byte[] px = new byte[width * height];
        for (int y = 0; y < height; y++) {
            double v = (y + 0.5) * scale;
            for (int x = 0; x < width; x++) {
                double u = (x + 0.5) * scale;
                double h = land.at(u, v);
                double d = detail.at(u * 4, v * 4);
                double value = h < seaLevel
                        ? 20 + 30 * (h / seaLevel) + 15 * d
                        : 70 + 80 * ((h - seaLevel) / (1 - seaLevel)) + 30 * d;
                int grain = (int) (SplitMix64.mix(grainSeed + (long) y * width + x) & 7) - 3;
                px[y * width + x] = (byte) Math.clamp(Math.round(value) + grain, 0, CLOUD_MIN - 1);
            }
        }
        return px;
    }

    /** Lays the cloud layer over {@code px}: the brightest {@code fraction} of the cloud noise becomes cloud. */
    private static void clouds(long cloudSeed, double fraction, byte[] px, int width, int height) {
        int side = Math.max(width, height);
        double scale = (double) CLOUD_CELLS / side;
        ValueNoise noise = new ValueNoise(cloudSeed, CLOUD_CELLS, 5);
        float[] n = new float[px.length];
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int y = 0; y < height; y++) {
            double v = (y + 0.5) * scale;
            for (int x = 0; x < width; x++) {
                float value = (float) noise.at((x + 0.5) * scale, v);
                n[y * width + x] = value;
                lo = Math.min(lo, value);
                hi = Math.max(hi, value);
            }
        }
        long wanted = Math.round(fraction * px.length);
        if (wanted == 0) return;
        double threshold = threshold(n, lo, hi, wanted);
        double thick = Math.max(hi - threshold, 1e-9);
        for (int i = 0; i < px.length; i++) {
            double d = n[i] - threshold;
            if (d >= 0) {
                px[i] = (byte) (CLOUD_MIN + (int) Math.min(55, 55 * d / thick + 0.5));
            } else if (d > -HAZE) {
                int g = px[i] & 0xFF;
                double haze = 1 + d / HAZE;
                px[i] = (byte) Math.min(CLOUD_MIN - 1, (int) (g + (CLOUD_MIN - 1 - g) * haze * 0.6));
            }
        }
    }

    /** The lower edge of the quantile bin from which on at least {@code wanted} values lie. */
    private static double threshold(float[] n, float lo, float hi, long wanted) {
        if (hi <= lo) return lo;
        int[] bins = new int[BINS];
        double k = (BINS - 1) / (double) (hi - lo);
        for (float v : n) bins[(int) ((v - lo) * k)]++;
        long above = 0;
        int b = BINS - 1;
        for (; b > 0; b--) {
            above += bins[b];
            if (above >= wanted) break;
        }
        return b == 0 ? lo : lo + b / k;
    }

    private static byte[] header(String camera, Instant time, Position where, double fraction, int width, int height) {
        String text = String.format(Locale.ROOT,
                "P5\n# orchide-scene camera=%s time=%s lat=%.4f lon=%.4f\n"
                        + "# orchide-scene cloud-fraction=%.4f\n%d %d\n255\n",
                camera, time, where.latitudeDeg(), where.longitudeDeg(), fraction, width, height);
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void checkCamera(String camera) {
        if (camera == null || camera.isEmpty()) throw new DeviceInputException("camera", camera, "must not be blank");
        for (int i = 0; i < camera.length(); i++) {
            char c = camera.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new DeviceInputException("camera", camera, "must be printable ASCII without spaces");
            }
        }
    }

    private static void checkSide(String field, int side) {
        if (side < 1 || side > MAX_SIDE) {
            throw new DeviceInputException(field, side, "must be within [1, " + MAX_SIDE + "]");
        }
    }
}
