package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Frame;
import org.junit.jupiter.api.Test;

import static io.orchide.twin.sensor.SensorFixtures.MUNICH;
import static io.orchide.twin.sensor.SensorFixtures.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyntheticCameraTest {
    private final SyntheticCamera camera = new SyntheticCamera("sat-1", 42, 256, 256);

    @Test
    void aCaptureIsTheGeneratedSceneUnderItsCanonicalName() {
        Frame f = camera.capture(MUNICH);

        assertThat(f.name()).isEqualTo("scene-sat-1-20261201T001200Z.pgm");
        assertThat(f.time()).isEqualTo(T);
        assertThat(f.position()).isEqualTo(MUNICH);
        assertThat(f.content()).isEqualTo(new SceneGenerator().scene(42, "sat-1", MUNICH, 256, 256));
        assertThat(camera.capture(MUNICH)).isEqualTo(f);
    }

    @Test
    void aTruncatedCaptureKeepsItsHeaderButLosesHalfItsPixels() {
        Frame f = camera.capture(MUNICH);
        Frame cut = SyntheticCamera.truncated(f);
        PgmHeader h = PgmHeader.parse(cut.content());

        assertThat(h).isEqualTo(PgmHeader.parse(f.content()));
        assertThat(h.isComplete(cut.content())).isFalse();
        assertThat(cut.size()).isEqualTo(h.dataOffset() + 256 * 256 / 2);
        assertThat(cut.name()).isEqualTo(f.name());
        assertThat(cut.time()).isEqualTo(f.time());
        byte[] onePixel = SyntheticCamera.truncated(new SyntheticCamera("c", 1, 1, 1).capture(MUNICH)).content();
        assertThat(onePixel).hasSize(PgmHeader.parse(onePixel).dataOffset());
    }

    @Test
    void refusesNamesAndSizesItCannotUse() {
        assertThatThrownBy(() -> new SyntheticCamera("sat/1", 1, 8, 8)).isInstanceOf(DeviceInputException.class)
                .hasMessageContaining("sat/1");
        assertThatThrownBy(() -> new SyntheticCamera("sat-1", 1, 0, 8)).hasMessageContaining("width");
        assertThatThrownBy(() -> new SyntheticCamera("sat-1", 1, 8, -1)).hasMessageContaining("height");
        assertThatThrownBy(() -> SyntheticCamera.truncated(new Frame(T, MUNICH, "x.pgm", "P6\n".getBytes())))
                .hasMessageContaining("magic");
    }
}
