package io.orchide.node.position;

import io.orchide.node.device.DeviceTwin;
import io.orchide.node.device.DevicesFile;
import io.orchide.node.device.Position;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class GnssPositionSourceTest {
    static final String MUNICH = "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47";
    static final String NO_FIX = "$GPGGA,,,,,,0,00,99.99,,,,,,*48";
    static final String BAD_SUM = "$GPGGA,235317.000,4003.9039,N,10512.5793,W,1,08,1.6,1577.9,M,-20.7,M,,0000*5F";
    static final String RMC = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A";

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:35:21Z"));
    final Map<String, String> reported = new ConcurrentHashMap<>();
    final GnssPositionSource gnss = new GnssPositionSource("gnss-1", clock, Duration.ofSeconds(10), reported::putAll);

    @Test
    void theNewestFixAnswersAndBadSentencesAreCountedAndIgnored() {
        for (String line : List.of(NO_FIX, "\u0000\u00ff\u0013 noise", BAD_SUM, MUNICH, RMC, "$GPGGA,123519,48")) {
            gnss.accept(line);
        }
        Position p = gnss.at(clock.instant());
        assertThat(p.time()).isEqualTo(Instant.parse("2026-12-07T12:35:19Z")); // the fix's time, on the clock's date
        assertThat(p.latitudeDeg()).isCloseTo(48.1173, within(1e-4));
        assertThat(p.longitudeDeg()).isCloseTo(11.516667, within(1e-6));
        assertThat(gnss.properties()).containsEntry("nmeaFixes", "1").containsEntry("nmeaNoFix", "1")
                .containsEntry("nmeaRejected", "2").containsEntry("latitudeDeg", "48.117300");
        // the device twin heard of the fix at once, of the second rejection not yet: only a change of state is news
        assertThat(reported).containsEntry("nmeaFixes", "1").containsEntry("nmeaRejected", "1")
                .containsEntry("latitudeDeg", "48.117300");
        assertThat(reported.get("nmeaLastRejection")).startsWith("checksum");
        clock.advance(GnssPositionSource.REPORT_EVERY);
        gnss.accept(MUNICH);
        assertThat(reported).containsEntry("nmeaFixes", "2").containsEntry("nmeaRejected", "2");
    }

    @Test
    void aFixOlderThanItsMaximumAgeOrNoneAtAllIsNoPosition() {
        assertThat(catchThrowableOfType(PositionUnavailableException.class, () -> gnss.at(clock.instant())))
                .hasMessageContaining("no fix yet");
        gnss.accept(MUNICH);
        clock.advance(Duration.ofSeconds(30));
        assertThat(catchThrowableOfType(PositionUnavailableException.class, () -> gnss.at(clock.instant())))
                .hasMessageContaining("2026-12-07T12:35:19Z").hasMessageContaining("more than 10 s");
    }

    @Test
    void aFixTakenBeforeMidnightAndReadAfterItKeepsItsDay() {
        GgaSentence late = GgaSentence.parse(GgaSentenceTest.withChecksum(
                "GPGGA,235959.50,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"));
        assertThat(GnssPositionSource.dated(late, Instant.parse("2026-12-08T00:00:01Z")))
                .isEqualTo(Instant.parse("2026-12-07T23:59:59.500Z"));
    }

    @Test
    void theNodeReadsTheReceiversFileAsItGrowsAndFallsBackToItsTleWithoutAFix(@TempDir Path dir) throws Exception {
        clock.set(Instant.parse("2000-06-27T12:35:21Z")); // near the TLE's epoch
        Path nmea = dir.resolve("gnss.nmea");
        Files.writeString(nmea, NO_FIX + "\r\n" + "garbage\r\n");
        Files.writeString(dir.resolve("sat.tle"), TlePositionSourceTest.SAT_00005.line1() + "\n"
                + TlePositionSourceTest.SAT_00005.line2() + "\n");
        DevicesFile file = DevicesFile.read(writeDevices(dir, nmea));
        DeviceTwin twin = new DeviceTwin(file, List.of());
        try (NodePosition position = NodePosition.of(file.position(), twin, clock)) {
            assertThat(position.source()).startsWith("gnss gnss-1, then tle sat.tle").contains(nmea.toString());
            await().until(() -> "1".equals(twin.get("gnss-1").orElseThrow().reported().get("nmeaNoFix")));
            Position fromTle = position.at(clock.instant());
            assertThat(fromTle).isEqualTo(new TlePositionSource(TlePositionSourceTest.SAT_00005).at(clock.instant()));
            var reported = position.report(clock.instant());
            assertThat(reported.source()).isEqualTo(position.source());
            assertThat(reported.fix().from()).startsWith("tle sat.tle");
            assertThat(reported.fix().latitudeDeg()).isEqualTo(fromTle.latitudeDeg());

            Files.writeString(nmea, MUNICH + "\r\n", StandardOpenOption.APPEND);
            await().until(() -> "1".equals(twin.get("gnss-1").orElseThrow().reported().get("nmeaFixes")));
            assertThat(position.at(clock.instant()).latitudeDeg()).isCloseTo(48.1173, within(1e-4));
            assertThat(position.report(clock.instant()).fix()).satisfies(f -> {
                assertThat(f.from()).isEqualTo("gnss gnss-1");
                assertThat(f.time()).isEqualTo(Instant.parse("2000-06-27T12:35:19Z"));
            });
        }
    }

    @Test
    void aReceiverSendingBinaryAtTheWrongBaudRateIsCutIntoBoundedLinesAndItsNextSentenceStillCounts(@TempDir Path dir)
            throws Exception {
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(5).nextBytes(noise);
        for (int i = 0; i < noise.length; i++) if (noise[i] == '\n' || noise[i] == '\r') noise[i] = 0;
        Path nmea = Files.write(dir.resolve("ttyS1"), noise);
        Files.writeString(nmea, "\n$GPGGA," + "7".repeat(600) + "\n" + MUNICH + "\n", StandardOpenOption.APPEND);
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (NmeaReader reader = NmeaReader.start(nmea, line -> {
            lines.add(line);
            gnss.accept(line);
        })) {
            await().until(() -> gnss.properties().get("nmeaFixes").equals("1"));
        }
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(NmeaReader.MAX_LINE));
        // the long sentence is cut in three: its head is a GGA sentence too long to be one, the rest no sentence at all
        assertThat(gnss.properties()).containsEntry("nmeaRejected", "1");
    }

    private static Path writeDevices(Path dir, Path nmea) throws Exception {
        return Files.writeString(dir.resolve("devices.yaml"), """
                discover: false
                devices:
                  - {name: gnss-1, class: gnss, path: %s}
                position: {gnss: gnss-1, tle: sat.tle}
                """.formatted(nmea));
    }
}
