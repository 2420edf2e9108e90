package io.orchide.node.position;

import io.orchide.node.device.DeviceInputException;
import org.junit.jupiter.api.Test;

import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

class GgaSentenceTest {

    @Test
    void realSentencesGiveDegreesAndTheAltitudeAboveTheEllipsoid() {
        GgaSentence s = GgaSentence.parse("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47");
        assertThat(s.utc()).isEqualTo(LocalTime.of(12, 35, 19));
        assertThat(s.hasFix()).isTrue();
        assertThat(s.satellites()).isEqualTo(8);
        assertThat(s.latitudeDeg()).isCloseTo(48 + 7.038 / 60, within(1e-9));
        assertThat(s.longitudeDeg()).isCloseTo(11 + 31.0 / 60, within(1e-9));
        assertThat(s.altitudeM()).isCloseTo(545.4 + 46.9, within(1e-9));

        GgaSentence gn = GgaSentence.parse("$GNGGA,001043.00,4404.14036,N,12118.85961,W,1,12,0.98,1113.0,M,-21.3,M,,*47");
        assertThat(gn.utc()).isEqualTo(LocalTime.of(0, 10, 43));
        assertThat(gn.latitudeDeg()).isCloseTo(44 + 4.14036 / 60, within(1e-9));
        assertThat(gn.longitudeDeg()).isCloseTo(-(121 + 18.85961 / 60), within(1e-9));
        assertThat(gn.altitudeM()).isCloseTo(1113.0 - 21.3, within(1e-9));

        GgaSentence dgps = GgaSentence.parse(
                "$GPGGA,172814.0,3723.46587704,N,12202.26957864,W,2,6,1.2,18.893,M,-25.669,M,2.0,0031*4F");
        assertThat(dgps.quality()).isEqualTo(2);
        assertThat(dgps.utc()).isEqualTo(LocalTime.of(17, 28, 14));
        assertThat(dgps.latitudeDeg()).isCloseTo(37 + 23.46587704 / 60, within(1e-9));

        GgaSentence irish = GgaSentence.parse("$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*76");
        assertThat(irish.utc()).isEqualTo(LocalTime.of(9, 27, 50));
        assertThat(irish.longitudeDeg()).isCloseTo(-(6 + 30.3372 / 60), within(1e-9));
    }

    @Test
    void aReceiverWithoutAFixYetSaysSoAndGivesNoPosition() {
        GgaSentence s = GgaSentence.parse("$GPGGA,,,,,,0,00,99.99,,,,,,*48");
        assertThat(s.hasFix()).isFalse();
        assertThat(s.utc()).isNull();
        assertThat(s.latitudeDeg()).isNaN();
    }

    @Test
    void aGarbledCutOrForeignLineIsRefusedNamingWhatIsWrong() {
        assertThat(refusal("$GPGGA,235317.000,4003.9039,N,10512.5793,W,1,08,1.6,1577.9,M,-20.7,M,,0000*5F").field())
                .isEqualTo("checksum");
        assertThat(refusal("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,4").field()).isEqualTo("checksum");
        assertThat(refusal("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A").field())
                .isEqualTo("sentence");
        assertThat(refusal("\u0000\u00ff$GPGGA garbage").field()).isEqualTo("sentence");
        assertThat(refusal(withChecksum("GPGGA,123519,4807.038,X,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")).field())
                .isEqualTo("latitudeHemisphere");
        assertThat(refusal(withChecksum("GPGGA,256519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")).field())
                .isEqualTo("time");
        assertThat(refusal(withChecksum("GPGGA,123519,4867.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")).field())
                .isEqualTo("latitude");
        assertThat(refusal(withChecksum("GPGGA,123519,4807.038,N,01131.000,E,1,08")).field()).isEqualTo("sentence");
        assertThat(refusal("$GPGGA," + "9".repeat(200) + "*00").field()).isEqualTo("sentence");
    }

    static String withChecksum(String body) {
        int sum = 0;
        for (char c : body.toCharArray()) sum ^= c;
        return "$" + body + String.format("*%02X", sum);
    }

    private static DeviceInputException refusal(String line) {
        return catchThrowableOfType(DeviceInputException.class, () -> GgaSentence.parse(line));
    }
}
