package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Position;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static io.orchide.twin.sensor.SensorFixtures.MUNICH;
import static io.orchide.twin.sensor.SensorFixtures.T;
import static io.orchide.twin.sensor.SensorFixtures.bright;
import static io.orchide.twin.sensor.SensorFixtures.cover;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SceneGeneratorTest {
    private final SceneGenerator scenes = new SceneGenerator();

    private static Position at(Instant t) {
        return new Position(t, MUNICH.latitudeDeg(), MUNICH.longitudeDeg(), MUNICH.altitudeM());
    }

    @Test
    void theSameInputsGiveTheSameBytes() {
        assertThat(scenes.scene(7, "sat-1", MUNICH, 256, 256)).isEqualTo(scenes.scene(7, "sat-1", MUNICH, 256, 256))
                .isEqualTo(new SceneGenerator().scene(7, "sat-1", MUNICH, 256, 256));
        assertThat(scenes.scene(7, "sat-1", MUNICH, 256, 256))
                .isEqualTo(scenes.scene(7, "sat-1", at(T.plusMillis(999)), 256, 256));
    }

    @Test
    void anotherSecondCameraOrSeedGivesAnotherScene() {
        byte[] a = pixels(scenes.scene(7, "sat-1", MUNICH, 128, 128));
        assertThat(pixels(scenes.scene(7, "sat-1", at(T.plusSeconds(1)), 128, 128))).isNotEqualTo(a);
        assertThat(pixels(scenes.scene(7, "sat-2", MUNICH, 128, 128))).isNotEqualTo(a);
        assertThat(pixels(scenes.scene(8, "sat-1", MUNICH, 128, 128))).isNotEqualTo(a);
    }

    @Test
    void theSceneIsABinaryPgmWhoseHeaderSaysWhoWhenAndWhere() {
        byte[] pgm = scenes.scene(7, "sat-1", MUNICH, 320, 200);
        PgmHeader h = PgmHeader.parse(pgm);

        assertThat(new String(pgm, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("P5\n");
        assertThat(h.width()).isEqualTo(320);
        assertThat(h.height()).isEqualTo(200);
        assertThat(h.maxval()).isEqualTo(255);
        assertThat(pgm).hasSize(h.dataOffset() + 320 * 200);
        assertThat(h.comments()).hasSize(2);
        assertThat(h.comments().get(0))
                .isEqualTo("orchide-scene camera=sat-1 time=2026-12-01T00:12:00Z lat=48.1234 lon=11.5678");
        assertThat(h.comments().get(1)).matches("orchide-scene cloud-fraction=[01]\\.\\d{4}");
        assertThat(h.comment("camera")).isEqualTo("sat-1");
        assertThat(h.comment("time")).isEqualTo("2026-12-01T00:12:00Z");
    }

    @Test
    void theGroundStaysBelowTheCloudThreshold() {
        for (long seed = 0; seed < 50; seed++) {
            byte[] ground = SceneGenerator.ground(SplitMix64.mix(seed), 97, 64);
            for (byte b : ground) assertThat(b & 0xFF).isLessThan(SceneGenerator.CLOUD_MIN);
        }
    }

    @Test
    void theGroundHasBothSeaAndLandAcrossScenes() {
        long dark = 0;
        long bright = 0;
        for (long seed = 0; seed < 20; seed++) {
            for (byte b : SceneGenerator.ground(SplitMix64.mix(seed), 64, 64)) {
                if ((b & 0xFF) < 70) dark++;
                else bright++;
            }
        }
        assertThat(dark).isPositive();
        assertThat(bright).isPositive();
    }

    @Test
    void theCloudPixelsCoverTheFractionTheHeaderStates() {
        for (int i = 0; i < 60; i++) {
            byte[] pgm = scenes.scene(11, "sat-1", at(T.plus(Duration.ofMinutes(i))), 200, 150);
            double stated = Double.parseDouble(PgmHeader.parse(pgm).comment("cloud-fraction"));
            double measured = bright(pgm, SceneGenerator.CLOUD_MIN) / (200.0 * 150);
            assertThat(measured).as("scene %d", i).isCloseTo(stated, within(0.02));
            assertThat(cover(pgm) < 30).as("scene %d", i).isEqualTo(stated < 0.3);
        }
    }

    @Test
    void aboutHalfOfTheScenesAreClearAndSomeAreNearlyCloudlessOrOvercast() {
        int clear = 0;
        int nearlyCloudless = 0;
        int overcast = 0;
        for (int i = 0; i < 200; i++) {
            long cover = cover(scenes.scene(2026, "sat-1", at(T.plus(Duration.ofSeconds(37L * i))), 128, 128));
            if (cover < 30) clear++;
            if (cover < 3) nearlyCloudless++;
            if (cover >= 90) overcast++;
        }
        assertThat(clear).isBetween(50, 150);
        assertThat(nearlyCloudless).isPositive();
        assertThat(overcast).isPositive();
    }

    @Test
    void theDrawnFractionAvoidsTheThirtyPercentEdge() {
        for (double pick = 0; pick < 1; pick += 0.01) {
            for (double u = 0; u < 1; u += 0.01) {
                double f = SceneGenerator.cloudFraction(pick, u);
                assertThat(f).isBetween(0.0, 1.0);
                assertThat(f < 0.28 || f >= 0.32).as("pick %s u %s: %s", pick, u, f).isTrue();
            }
        }
    }

    @Test
    void aSceneOfAnySizeFrom1x1Works() {
        byte[] one = scenes.scene(1, "c", MUNICH, 1, 1);
        assertThat(one).hasSize(PgmHeader.parse(one).dataOffset() + 1);
        byte[] strip = scenes.scene(1, "c", MUNICH, 1000, 3);
        assertThat(strip).hasSize(PgmHeader.parse(strip).dataOffset() + 3000);
    }

    @Test
    void a256SceneTakesAFewMilliseconds() {
        for (int i = 0; i < 20; i++) scenes.scene(i, "warm", MUNICH, 256, 256);
        long start = System.nanoTime();
        int n = 50;
        for (int i = 0; i < n; i++) scenes.scene(i, "sat-1", MUNICH, 256, 256);
        double ms = (System.nanoTime() - start) / 1e6 / n;
        // generous for a loaded build machine; about 3 ms when idle
        assertThat(ms).isLessThan(100);
    }

    @Test
    void refusesBadInputsNamingThem() {
        assertThatThrownBy(() -> scenes.scene(1, "sat 1", MUNICH, 8, 8)).isInstanceOf(DeviceInputException.class)
                .hasMessageContaining("camera").hasMessageContaining("sat 1");
        assertThatThrownBy(() -> scenes.scene(1, "c", MUNICH, 0, 8)).hasMessageContaining("width")
                .hasMessageContaining("(value: 0)");
        assertThatThrownBy(() -> scenes.scene(1, "c", MUNICH, 8, 9000)).hasMessageContaining("height")
                .hasMessageContaining("9000");
        assertThatThrownBy(() -> scenes.scene(1, "c", null, 8, 8)).hasMessageContaining("where");
    }

    @Test
    void theSceneSeedMixesEveryInput() {
        long base = SceneGenerator.sceneSeed(1, "sat-1", T);
        assertThat(SceneGenerator.sceneSeed(2, "sat-1", T)).isNotEqualTo(base);
        assertThat(SceneGenerator.sceneSeed(1, "sat-2", T)).isNotEqualTo(base);
        assertThat(SceneGenerator.sceneSeed(1, "sat-1", T.plusSeconds(1))).isNotEqualTo(base);
        // strings with the same String.hashCode still differ
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(SceneGenerator.sceneSeed(1, "Aa", T)).isNotEqualTo(SceneGenerator.sceneSeed(1, "BB", T));
    }

    private static byte[] pixels(byte[] pgm) {
        int off = PgmHeader.parse(pgm).dataOffset();
        return java.util.Arrays.copyOfRange(pgm, off, pgm.length);
    }
}
