package io.orchide.node.position;

import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.device.PositionSettings;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodePositionTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:35:21Z"));

    @Test
    void aNodeWithoutASourceReportsWhyItHasNoPosition() throws Exception {
        try (NodePosition none = NodePosition.of(null, new DeviceTwin(DevicesFile.NONE, List.of()), clock)) {
            var p = none.report(clock.instant());
            assertThat(p.source()).isEqualTo("none");
            assertThat(p.fix()).isNull();
            assertThat(p.reason()).isEqualTo(NodePosition.NO_SOURCE);
        }
    }

    @Test
    void aReceiverWithoutAFixAndNothingToFallBackOnReportsTheReceiversReason(@TempDir Path dir) throws Exception {
        Path nmea = Files.writeString(dir.resolve("gnss.nmea"), GnssPositionSourceTest.NO_FIX + "\n");
        Path devices = Files.writeString(dir.resolve("devices.yaml"), """
                discover: false
                devices:
                  - {name: gnss-1, class: gnss, path: %s}
                position: {gnss: gnss-1}
                """.formatted(nmea));
        DevicesFile file = DevicesFile.read(devices);
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        DeviceTwin twin = new DeviceTwin(file, List.of());
        try (NodePosition gnss = NodePosition.of(file.position(), twin, clock)) {
            gnss.onChange(changes::incrementAndGet);
            org.awaitility.Awaitility.await().until(() -> "1".equals(twin.get("gnss-1").orElseThrow().reported().get("nmeaNoFix")));
            var p = gnss.report(clock.instant());
            assertThat(p.source()).startsWith("gnss gnss-1");
            assertThat(p.fix()).isNull();
            assertThat(p.reason()).startsWith("gnss gnss-1: the receiver has given no fix yet");

            int before = changes.get(); // the first sentence, without a fix, may have been news already
            Files.writeString(nmea, GnssPositionSourceTest.MUNICH + "\n", java.nio.file.StandardOpenOption.APPEND);
            // the first fix is news (the reader's wait for the file to grow is bounded by a minute, should it miss the event)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> changes.get() > before);
            assertThat(gnss.report(clock.instant()).fix().from()).isEqualTo("gnss gnss-1");
        }
    }

    @Test
    void aTleAloneGivesAFixAtTheInstantAsked() throws Exception {
        clock.set(Instant.parse("2000-06-27T12:35:21Z"));
        PositionSettings tle = new PositionSettings(TlePositionSourceTest.SAT_00005, null, Duration.ofSeconds(10));
        try (NodePosition p = NodePosition.of(tle, new DeviceTwin(DevicesFile.NONE, List.of()), clock)) {
            var r = p.report(clock.instant());
            assertThat(r.reason()).isNull();
            assertThat(r.fix().from()).isEqualTo(r.source()).startsWith("tle ");
            assertThat(r.fix().time()).isEqualTo(clock.instant());
        }
    }
}
