package io.orchide.node.housekeeping;

import io.orchide.model.message.Housekeeping;
import io.orchide.model.message.TelemetryBudget;
import io.orchide.node.store.Database;
import io.orchide.testkit.MutableClock;
import io.orchide.web.telemetry.MetricFamily;
import io.orchide.web.telemetry.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HousekeeperTest {
    private static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final List<byte[]> sent = new ArrayList<>();
    private final AtomicLong queue = new AtomicLong();
    private final LogSummaries logs = new LogSummaries();
    private Database db;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(dir.resolve("node.db"));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    /** The demo's shape: a few dozen series, some moving every scrape. */
    private Registry registry(int series) {
        Registry r = new Registry();
        r.register(() -> {
            MetricFamily.Builder g = MetricFamily.gauge("orchide_test_level", "levels", "n");
            for (int i = 0; i < series; i++) g.add(i % 3 == 0 ? queue.get() % 7 : 1000 + i, Integer.toString(i));
            return List.of(g.build(), MetricFamily.counter("orchide_test_events_total", "events").add(queue.get()).build());
        });
        return r;
    }

    private Housekeeper housekeeper(Registry r) {
        return new Housekeeper("n1", r, new HousekeepingStore(db), logs, sent::add, clock, Duration.ofMinutes(1));
    }

    /** One minute of the agent's life: six scrapes, then the interval closes. */
    private void minute(Housekeeper h) {
        for (int k = 0; k < Housekeeper.SAMPLES_PER_INTERVAL; k++) {
            queue.incrementAndGet();
            h.sample();
            clock.advance(Duration.ofSeconds(10));
        }
        h.closeInterval();
    }

    private List<Housekeeping> decoded() throws Exception {
        List<Housekeeping> out = new ArrayList<>();
        for (byte[] b : sent) out.add(Housekeeping.decode(b));
        return out;
    }

    @Test
    void anEightHourOutageReachesGroundAsAGapNotZeros() throws Exception {
        Housekeeper h = housekeeper(registry(10));
        h.budget(new TelemetryBudget(100L << 20, 1));
        clock.advance(Duration.ofDays(1)); // a full allowance
        h.open();
        for (int m = 0; m < 30; m++) minute(h);
        Instant down = clock.instant();
        // the agent is down for eight hours: a new one starts over the same database
        clock.advance(Duration.ofHours(8));
        Housekeeper after = housekeeper(registry(10));
        after.open();
        for (int m = 0; m < 30; m++) minute(after);
        assertThat(after.flush()).isPositive();

        Housekeeping hk = decoded().getLast();
        assertThat(hk.gaps()).containsExactly(new Housekeeping.Gap(down, down.plus(Duration.ofHours(8))));
        assertThat(hk.intervals()).hasSize(60).allMatch(i -> i.start().isBefore(down) || !i.start().isBefore(down.plus(Duration.ofHours(8))));
        assertThat(hk.intervals()).allMatch(i -> i.cells().size() == 11 || i.cells().size() == 10);
        assertThat(hk.series()).hasSize(11);
    }

    @Test
    void keptHousekeepingSurvivesARestartUntilItIsSent() throws Exception {
        Housekeeper h = housekeeper(registry(5));
        h.open();
        for (int m = 0; m < 3; m++) minute(h); // the default budget has not filled enough yet? it has: nothing asked to flush
        db.close();
        db = Database.open(dir.resolve("node.db"));
        Housekeeper again = housekeeper(registry(5));
        clock.advance(Duration.ofHours(1));
        assertThat(again.flush()).isPositive();
        assertThat(decoded().getFirst().intervals()).hasSize(3);
    }

    @Test
    void theBudgetIsNeverExceededAndATightOneMakesTheResolutionCoarser() throws Exception {
        long budget = TelemetryBudget.MIN_BYTES_PER_DAY * 4;
        Housekeeper h = housekeeper(registry(40));
        h.budget(new TelemetryBudget(budget, 1));
        h.open();
        for (int day = 0; day < 2; day++) {
            for (int m = 0; m < 24 * 60; m++) {
                minute(h);
                if (m % Housekeeper.INTERVALS_PER_BUNDLE == 0) h.flush();
            }
        }
        long total = sent.stream().mapToLong(b -> b.length).sum();
        assertThat(total).isLessThanOrEqualTo(2 * budget).isGreaterThan(budget / 2);
        assertThat(decoded()).flatExtracting(Housekeeping::intervals).anyMatch(i -> i.width() > 1);
    }

    @Test
    void underALogStormTheBudgetHoldsAndTheErrorLineGoesFirst() throws Exception {
        long budget = TelemetryBudget.MIN_BYTES_PER_DAY * 2;
        Housekeeper h = housekeeper(registry(20));
        h.budget(new TelemetryBudget(budget, 1));
        h.open();
        String routine = "frame 000000 processed in 12 ms, nothing to report ".repeat(2);
        long perMinute = 10L << 20;
        for (int m = 0; m < 120; m++) {
            for (long b = 0; b < perMinute; b += routine.length() + 1) logs.line("workload/storm", routine + m);
            if (m == 30) logs.line("workload/storm", "ERROR: camera frame buffer overrun at 0x7f00");
            minute(h);
            h.flush();
        }
        long total = sent.stream().mapToLong(b -> b.length).sum();
        assertThat(total).isLessThanOrEqualTo(budget);
        List<Housekeeping.LogSummary> arrived = decoded().stream().flatMap(x -> x.logs().stream()).toList();
        assertThat(arrived).isNotEmpty();
        Housekeeping.LogSummary first = arrived.getFirst();
        assertThat(first.errors()).containsExactly("ERROR: camera frame buffer overrun at 0x7f00");
        int firstRoutine = indexOf(arrived, l -> l.errorLines() == 0 && l.first() != null);
        assertThat(firstRoutine == -1 || firstRoutine > 0).isTrue();
    }

    private static int indexOf(List<Housekeeping.LogSummary> l, java.util.function.Predicate<Housekeeping.LogSummary> p) {
        for (int i = 0; i < l.size(); i++) if (p.test(l.get(i))) return i;
        return -1;
    }

    @Test
    void aWidthGroundSetsTakesEffectWhenTheOpenIntervalClosesAndKeptIntervalsGoAtTheWidthTheyWereSummarisedAt() throws Exception {
        Housekeeper h = housekeeper(registry(3));
        h.budget(new TelemetryBudget(100L << 20, 1));
        clock.advance(Duration.ofDays(1));
        Instant start = clock.instant();
        h.open();
        minute(h);
        minute(h);
        assertThat(h.budget(new TelemetryBudget(100L << 20, 2, 300))).isTrue();
        assertThat(h.interval()).as("the open interval keeps its width").isEqualTo(Duration.ofMinutes(1));
        minute(h);
        assertThat(h.interval()).isEqualTo(Duration.ofMinutes(5));
        for (int m = 0; m < 7; m++) minute(h); // to the first 5-minute boundary at least 5 minutes after the change

        assertThat(h.flush()).isPositive();
        assertThat(h.flush()).isPositive();
        assertThat(h.flush()).isZero();
        List<Housekeeping> bundles = decoded();
        assertThat(bundles).extracting(Housekeeping::interval).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5));
        assertThat(bundles.get(0).intervals()).extracting(Housekeeping.Interval::start)
                .containsExactly(start, start.plusSeconds(60), start.plusSeconds(120));
        assertThat(bundles.get(1).intervals()).singleElement().satisfies(i -> {
            assertThat(i.start()).as("no span between the widths is lost").isEqualTo(start.plusSeconds(180));
            assertThat(i.width()).isEqualTo(1);
        });
        assertThat(bundles.get(1).gaps()).isEmpty();
        // the satellite's width outlives an agent restart
        assertThat(housekeeper(registry(3)).interval()).isEqualTo(Duration.ofMinutes(5));
        // a budget set alone leaves the interval to the node's own setting
        assertThat(h.budget(new TelemetryBudget(100L << 20, 3))).isTrue();
        assertThat(housekeeper(registry(3)).interval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void anOlderBudgetIsNotTakenAfterANewerOne() {
        Housekeeper h = housekeeper(registry(1));
        assertThat(h.budget(new TelemetryBudget(2L << 20, 2))).isTrue();
        assertThat(h.budget(new TelemetryBudget(8L << 20, 1))).isFalse();
        assertThat(h.budget()).isEqualTo(2L << 20);
        assertThat(housekeeper(registry(1)).budget()).isEqualTo(2L << 20);
    }
}
