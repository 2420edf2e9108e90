package io.orchide.model.message;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HousekeepingTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static Housekeeping sample() {
        List<Housekeeping.Series> series = List.of(
                new Housekeeping.Series(0, "orchide_workloads{state=\"running\"}", Housekeeping.Kind.GAUGE),
                new Housekeeping.Series(1, "orchide_link_bytes_total{direction=\"down\"}", Housekeeping.Kind.COUNTER),
                new Housekeeping.Series(2, "process_resident_memory_bytes", Housekeeping.Kind.GAUGE));
        return new Housekeeping("n1", "e1", Duration.ofMinutes(1), series, List.of(
                new Housekeeping.Interval(T0, 1, Map.of(0, Housekeeping.Cell.flat(3), 1, Housekeeping.Cell.flat(1200),
                        2, new Housekeeping.Cell(5.0e7, 5.2e7, 5.1e7 + 0.25, 5.05e7))),
                new Housekeeping.Interval(T0.plusSeconds(60), 1, Map.of(0, Housekeeping.Cell.flat(3), 1, Housekeeping.Cell.flat(-0.0))),
                new Housekeeping.Interval(T0.plusSeconds(120), 2, Map.of(0, Housekeeping.Cell.flat(3.5), 2, Housekeeping.Cell.flat(-7)))),
                List.of(new Housekeeping.Gap(T0.plusSeconds(240), T0.plusSeconds(8 * 3600))),
                List.of(new Housekeeping.LogSummary("workload/hello", 120_000, 2, List.of("ERROR disk full", "ERROR again"),
                        "starting", null)));
    }

    @Test
    void whatIsEncodedDecodesToTheSame() throws Exception {
        Housekeeping h = sample();
        assertThat(Housekeeping.decode(h.encode())).isEqualTo(h);
    }

    @Test
    void aSecondMeasuredGapIsNotAZero() throws Exception {
        Housekeeping back = Housekeeping.decode(sample().encode());
        assertThat(back.intervals().get(1).cells()).doesNotContainKey(2);
        assertThat(back.intervals().get(2).cells()).doesNotContainKey(1);
    }

    @Test
    void aValueUnchangedSinceThePreviousIntervalTakesOneByte() {
        Map<Integer, Housekeeping.Cell> cells = new java.util.HashMap<>();
        for (int s = 0; s < 100; s++) cells.put(s, Housekeeping.Cell.flat(123_456 + s));
        List<Housekeeping.Interval> day = new java.util.ArrayList<>();
        for (int m = 0; m < 1440; m++) day.add(new Housekeeping.Interval(T0.plusSeconds(60L * m), 1, cells));
        byte[] bytes = new Housekeeping("n1", "e1", Duration.ofMinutes(1), List.of(), day, List.of(), List.of()).encode();
        // 144,000 cells: deflate makes the repeated tag bytes far smaller than one byte each
        assertThat(bytes.length).isLessThan(144_000 / 20);
    }

    @Test
    void aTruncatedBundleIsRefusedNamingWhereItEnds() {
        byte[] whole = sample().encode();
        for (int len = 0; len < whole.length; len++) {
            byte[] cut = Arrays.copyOf(whole, len);
            assertThatThrownBy(() -> Housekeeping.decode(cut)).as("cut at %d", len).isInstanceOf(MessageException.class)
                    .hasMessageStartingWith("housekeeping: ");
        }
    }

    @Test
    void anotherVersionIsRefusedNamingIt() {
        byte[] b = sample().encode();
        b[2] = 9;
        assertThatThrownBy(() -> Housekeeping.decode(b)).isInstanceOf(MessageException.class)
                .hasMessageContaining("version").hasMessageContaining("(got 9)");
    }

    @Test
    void randomlyDamagedBundlesAreRefusedOrDecodedNeverThrowOtherwise() {
        byte[] whole = sample().encode();
        Random random = new Random(16);
        for (int k = 0; k < 5000; k++) {
            byte[] b = whole.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) b[3 + random.nextInt(b.length - 3)] ^= (byte) (1 + random.nextInt(255));
            try {
                Housekeeping.decode(b);
            } catch (MessageException e) {
                assertThat(e.errors()).isNotEmpty();
            }
        }
    }

    @Test
    void aBudgetBelowTheLeastIsRefusedNamingTheField() throws Exception {
        assertThat(TelemetryBudget.decode(new TelemetryBudget(2 << 20, 3).encode())).isEqualTo(new TelemetryBudget(2 << 20, 3));
        assertThat(TelemetryBudget.decode("{\"bytesPerDay\":\"2Mi\",\"version\":1}".getBytes())).isEqualTo(new TelemetryBudget(2 << 20, 1));
        assertThatThrownBy(() -> TelemetryBudget.decode("{\"bytesPerDay\":10,\"version\":1}".getBytes()))
                .isInstanceOf(MessageException.class).hasMessageContaining("bytesPerDay");
    }

    @Test
    void theHousekeepingIntervalTravelsWithTheBudgetAndEitherMayBeLeftToTheNode() throws Exception {
        assertThat(TelemetryBudget.decode(new TelemetryBudget(2 << 20, 4, 300).encode())).isEqualTo(new TelemetryBudget(2 << 20, 4, 300));
        assertThat(TelemetryBudget.decode(new TelemetryBudget(0, 1, 5).encode())).isEqualTo(new TelemetryBudget(0, 1, 5));
        assertThat(new String(new TelemetryBudget(2 << 20, 1).encode())).doesNotContain("intervalSeconds");
        assertThatThrownBy(() -> TelemetryBudget.decode("{\"bytesPerDay\":0,\"version\":1,\"intervalSeconds\":0}".getBytes()))
                .isInstanceOf(MessageException.class).hasMessageContaining("intervalSeconds");
        assertThatThrownBy(() -> TelemetryBudget.decode("{\"bytesPerDay\":0,\"version\":1,\"intervalSeconds\":86401}".getBytes()))
                .isInstanceOf(MessageException.class).hasMessageContaining("intervalSeconds").hasMessageContaining("86401");
    }
}
