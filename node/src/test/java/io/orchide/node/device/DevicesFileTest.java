package io.orchide.node.device;

import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class DevicesFileTest {

    @Test
    void readsTheIntegratorsDevicesWithTheirDesiredProperties() throws ManifestException {
        DevicesFile f = DevicesFile.parse("""
                orbitPeriod: 94m
                discover: false
                devices:
                  - {name: camera-1, class: camera, path: /dev/video0, properties: {exposureMs: "4"}}
                  - {name: can-bus, class: can, path: can0}
                """);
        assertThat(f.discover()).isFalse();
        assertThat(f.orbitPeriod()).isEqualTo(Duration.ofMinutes(94));
        assertThat(f.devices()).containsExactly(
                new Device("camera-1", DeviceClass.CAMERA, "/dev/video0", Map.of("exposureMs", "4"), Device.Source.DECLARED),
                new Device("can-bus", DeviceClass.CAN, "can0", Map.of(), Device.Source.DECLARED));
    }

    @Test
    void everyBadEntryIsReportedAtOnceWithItsFieldAndValue() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> DevicesFile.parse("""
                devices:
                  - {name: Camera_1, class: camera}
                  - {name: gnss-1, class: compass}
                  - {name: gnss-2, class: gnss, properties: {"9lives": "x"}, colour: red}
                  - {name: gnss-2, class: gnss, path: "dev/ttyS0 "}
                orbitPeriod: 10s
                """));
        // values as the manifest errors quote them; an unknown field is named by its path
        assertThat(e.errors()).extracting(FieldError::path, FieldError::value).containsExactlyInAnyOrder(
                tuple("devices[0].name", "\"Camera_1\""),
                tuple("devices[1].class", "\"compass\""),
                tuple("devices[2].properties.9lives", "\"9lives\""),
                tuple("devices[2].colour", null),
                tuple("devices[3].name", "\"gnss-2\""),
                tuple("devices[3].path", "\"dev/ttyS0 \""),
                tuple("orbitPeriod", "\"10s\""));
        assertThat(e.getMessage()).contains("devices[1].class: must be one of: camera, gnss");
    }

    @Test
    void aCameraMayHaveAFeedAndThePositionNamesAGnssDeviceAndATleFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("sat.tle"), """
                SAT-1
                1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753
                2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667
                """);
        DevicesFile f = DevicesFile.read(java.nio.file.Files.writeString(dir.resolve("devices.yaml"), """
                devices:
                  - {name: camera-1, class: camera, feed: /var/lib/frames}
                  - {name: gnss-1, class: gnss, path: /dev/ttyS1}
                position: {gnss: gnss-1, tle: sat.tle, maxFixAge: 30s}
                """));
        assertThat(f.devices().getFirst().feed()).isEqualTo("/var/lib/frames");
        assertThat(f.position().gnss()).isEqualTo("gnss-1");
        assertThat(f.position().tle().name()).isEqualTo("SAT-1");
        assertThat(f.position().maxFixAge()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPositionOrFeedThatCannotWorkIsRefusedWithItsField() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> DevicesFile.parse("""
                devices:
                  - {name: camera-1, class: camera, feed: frames}
                  - {name: radio-1, class: radio, feed: /var/lib/frames}
                  - {name: gnss-1, class: gnss}
                position: {gnss: gnss-1, tle: /nonexistent/sat.tle, maxFixAge: 0s}
                """));
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder(
                "devices[0].feed", "devices[1].feed", "position.gnss", "position.tle", "position.maxFixAge");
        assertThat(e.getMessage()).contains("position.gnss: names a gnss device without an absolute path");
        ManifestException notGnss = catchThrowableOfType(ManifestException.class, () -> DevicesFile.parse("""
                devices: [{name: camera-1, class: camera}]
                position: {gnss: camera-1}
                """));
        assertThat(notGnss.getMessage()).contains("position.gnss: names a camera device; it must name a gnss device");
    }
}
