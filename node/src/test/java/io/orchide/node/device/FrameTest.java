package io.orchide.node.device;

import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameTest {
    private static final Instant T = Instant.parse("2026-12-01T00:12:00.750Z");
    private static final Position WHERE = new Position(T, 1, 2, 3);

    @Test
    void theCanonicalNameCarriesTheCameraAndTheUtcSecond() {
        assertThat(Frame.canonicalName("sat-1", T)).isEqualTo("scene-sat-1-20261201T001200Z.pgm");
        assertThat(Frame.canonicalName("cam_2.nadir", Instant.EPOCH))
                .isEqualTo("scene-cam_2.nadir-19700101T000000Z.pgm");
    }

    @Test
    void theCanonicalNameRefusesCameraNamesThatWouldMakeABadFileName() {
        for (String bad : new String[] {"a/b", ".cam", "", "sat 1", "-x"}) {
            assertThatThrownBy(() -> Frame.canonicalName(bad, T)).isInstanceOf(DeviceInputException.class)
                    .hasMessageContaining("camera").hasMessageContaining("(value: " + bad + ")");
        }
    }

    @Test
    void theContentIsCopiedAndComparedByValue() {
        byte[] bytes = {1, 2, 3};
        Frame a = new Frame(T, WHERE, "a.pgm", bytes);
        bytes[0] = 9;
        a.content()[1] = 9;

        assertThat(a.content()).containsExactly(1, 2, 3);
        assertThat(a).isEqualTo(new Frame(T, WHERE, "a.pgm", new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new Frame(T, WHERE, "a.pgm", new byte[] {1, 2, 3}))
                .isNotEqualTo(new Frame(T, WHERE, "a.pgm", new byte[] {1, 2, 4}));
        assertThat(a.size()).isEqualTo(3);
        assertThat(a.toString()).contains("3 bytes");
    }

    @Test
    void refusesMissingParts() {
        assertThatThrownBy(() -> new Frame(T, WHERE, " ", new byte[0])).hasMessageContaining("name");
        assertThatThrownBy(() -> new Frame(T, null, "a", new byte[0])).hasMessageContaining("position");
        assertThatThrownBy(() -> new Frame(T, WHERE, "a", null)).hasMessageContaining("content");
    }
}
