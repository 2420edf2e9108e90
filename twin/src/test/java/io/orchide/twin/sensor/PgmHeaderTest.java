package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgmHeaderTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsSizesMaxvalCommentsAndWhereThePixelsStart() {
        byte[] f = bytes("P5 # a\n#b=1 c=2\r\n3\t#x\n2 255\nABCDEF");
        PgmHeader h = PgmHeader.parse(f);

        assertThat(h.width()).isEqualTo(3);
        assertThat(h.height()).isEqualTo(2);
        assertThat(h.maxval()).isEqualTo(255);
        assertThat(h.comments()).containsExactly("a", "b=1 c=2", "x");
        assertThat(h.comment("c")).isEqualTo("2");
        assertThat(h.comment("d")).isNull();
        assertThat(f[h.dataOffset()]).isEqualTo((byte) 'A');
        assertThat(h.isComplete(f)).isTrue();
        assertThat(h.isComplete(bytes("P5 3 2 255\nABCDE"))).isFalse();
    }

    @Test
    void refusesWhatTheCloudcoverKernelRefuses() {
        String[][] cases = {
                {"P6 1 1 255\nA", "magic"},
                {"", "magic"},
                {"P5 x 1 255\nA", "width"},
                {"P5 1", "width"},
                {"P5 1 ", "height"},
                {"P5 1 1 256\nA", "maxval"},
                {"P5 1 1 0\nA", "maxval"},
                {"P5 0 1 255\n", "width"},
                {"P5 1 1 255", "maxval"},
                {"P5 1 1 255#\nA", "maxval"},
                {"P5 1 1 9999999\nA", "maxval"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> PgmHeader.parse(bytes(c[0]))).as(c[0]).isInstanceOf(DeviceInputException.class)
                    .hasMessageStartingWith(c[1] + ":");
        }
    }
}
