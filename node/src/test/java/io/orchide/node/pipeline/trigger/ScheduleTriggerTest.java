package io.orchide.node.pipeline.trigger;

import io.orchide.node.layout.NodeLayout;
import io.orchide.node.store.NodeDatabase;
import io.orchide.model.Cron;
import io.orchide.model.Trigger;
import io.orchide.node.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTriggerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T10:03:17Z");
    private static final Duration RETRY = Duration.ofMinutes(1);

    @TempDir
    Path tmp;
    private ManualScheduler scheduler;
    private NodeDatabase nodeDb;
    private Database db;
    private FiredSchedules ledger;
    private ScheduleTrigger trigger;
    private final List<ScheduleFire> fires = new ArrayList<>();
    private final List<Instant> firedAt = new ArrayList<>();

    private final ScheduleSubscriber record = (fire, tx) -> {
        fires.add(fire);
        firedAt.add(scheduler.clock.instant());
        try (Statement s = tx.createStatement()) {
            s.execute("INSERT INTO probe_run VALUES ('" + fire.due() + "')");
        }
    };

    private void start(Instant now) throws Exception {
        scheduler = new ManualScheduler(now);
        nodeDb = NodeDatabase.open(NodeLayout.of(tmp));
        db = nodeDb.writer();
        db.connection().createStatement().execute("CREATE TABLE IF NOT EXISTS probe_run (due TEXT)");
        ledger = FiredSchedules.open(nodeDb, scheduler.clock);
        trigger = ScheduleTrigger.start(ledger, scheduler.clock, scheduler, RETRY);
    }

    /** Stops everything as a crash would (timers gone), then starts again at {@code now}. */
    private void restart(Instant now) throws Exception {
        stop();
        start(now);
    }

    @AfterEach
    void stop() throws Exception {
        if (trigger != null) trigger.close();
        if (ledger != null) ledger.close();
        if (nodeDb != null) nodeDb.close();
        trigger = null;
        ledger = null;
        nodeDb = null;
        db = null;
    }

    private static Trigger.Schedule every(Duration d) {
        return new Trigger.Schedule(null, d, null);
    }

    private static Trigger.Schedule cron(String expr) {
        return new Trigger.Schedule(Cron.parse(expr), null, null);
    }

    private static Trigger.Schedule at(Instant t) {
        return new Trigger.Schedule(null, null, t);
    }

    private List<Instant> dues() {
        return fires.stream().map(ScheduleFire::due).toList();
    }

    @Test
    void everyTenMinutesFiresAtEachIntervalFromTheAnchor() throws Exception {
        start(T0);
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        scheduler.advance(Duration.ofMinutes(35));
        List<Instant> expected = List.of(T0.plusSeconds(600), T0.plusSeconds(1200), T0.plusSeconds(1800));
        assertThat(dues()).containsExactlyElementsOf(expected);
        assertThat(firedAt).containsExactlyElementsOf(expected);
        assertThat(fires).noneMatch(ScheduleFire::catchUp).allMatch(f -> f.subscriber().equals("p"));
        assertThat(scheduler.pending()).containsExactly(T0.plusSeconds(2400));
        assertThat(count("probe_run")).isEqualTo(3);
    }

    @Test
    void cronEveryQuarterHourFiresEightTimesInTwoHours() throws Exception {
        Instant start = Instant.parse("2026-03-02T09:59:30Z");
        start(start);
        trigger.subscribe("p", cron("*/15 * * * *"), record);
        scheduler.advance(Duration.ofHours(2));
        assertThat(dues()).hasSize(8).allSatisfy(due -> {
            assertThat(due.getEpochSecond() % 900).isZero();
        });
        assertThat(dues().getFirst()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(dues().getLast()).isEqualTo(Instant.parse("2026-03-02T11:45:00Z"));
        assertThat(firedAt).isEqualTo(dues());
    }

    @Test
    void atFiresOnceAndAnAtInThePastFiresOnceAtStart() throws Exception {
        start(T0);
        trigger.subscribe("future", at(T0.plusSeconds(300)), record);
        trigger.subscribe("past", at(T0.minusSeconds(3600)), record);
        scheduler.advance(Duration.ofDays(1));
        assertThat(fires).containsExactly(new ScheduleFire("past", T0.minusSeconds(3600), true),
                new ScheduleFire("future", T0.plusSeconds(300), false));
        assertThat(scheduler.pending()).isEmpty();

        restart(T0.plus(Duration.ofDays(2)));
        trigger.subscribe("future", at(T0.plusSeconds(300)), record);
        trigger.subscribe("past", at(T0.minusSeconds(3600)), record);
        scheduler.advance(Duration.ofDays(1));
        assertThat(fires).hasSize(2);
    }

    @Test
    void aRestartAfterAThreeDayOutageFiresOneCatchUpThenResumes() throws Exception {
        start(T0);
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        trigger.subscribe("c", cron("0 * * * *"), record);
        scheduler.advance(Duration.ofMinutes(25));
        assertThat(dues()).containsExactly(T0.plusSeconds(600), T0.plusSeconds(1200));
        fires.clear();

        Instant back = T0.plus(Duration.ofDays(3)).plusSeconds(7 * 60);
        restart(back);
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        trigger.subscribe("c", cron("0 * * * *"), record);
        scheduler.runDue();
        Instant latestEvery = T0.plus(Duration.ofDays(3)).plusSeconds(0);
        assertThat(fires).containsExactlyInAnyOrder(new ScheduleFire("p", latestEvery, true),
                new ScheduleFire("c", Instant.parse("2026-03-05T10:00:00Z"), true));
        fires.clear();

        scheduler.advance(Duration.ofMinutes(60));
        assertThat(fires).containsExactly(new ScheduleFire("p", latestEvery.plusSeconds(600), false),
                new ScheduleFire("p", latestEvery.plusSeconds(1200), false),
                new ScheduleFire("p", latestEvery.plusSeconds(1800), false),
                new ScheduleFire("p", latestEvery.plusSeconds(2400), false),
                new ScheduleFire("p", latestEvery.plusSeconds(3000), false),
                new ScheduleFire("c", Instant.parse("2026-03-05T11:00:00Z"), false),
                new ScheduleFire("p", latestEvery.plusSeconds(3600), false));
    }

    @Test
    void aRestartRightAfterAFireDoesNotFireAgain() throws Exception {
        start(T0);
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(fires).hasSize(1);

        restart(T0.plusSeconds(600));
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        scheduler.runDue();
        assertThat(fires).hasSize(1);
        assertThat(scheduler.pending()).containsExactly(T0.plusSeconds(1200));
        assertThat(count("probe_run")).isEqualTo(1);
    }

    @Test
    void aClockGoingBackwardsNeverFiresADueTimeTwice() throws Exception {
        start(T0);
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        scheduler.advance(Duration.ofMinutes(10));

        restart(T0.plusSeconds(300)); // the clock went back 5 minutes across a reboot
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        scheduler.advanceTo(T0.plusSeconds(1199));
        assertThat(dues()).containsExactly(T0.plusSeconds(600));
        assertThat(ledger.fire(new ScheduleFire("p", T0.plusSeconds(600), false), record)).isFalse();
        assertThat(ledger.fire(new ScheduleFire("p", T0.plusSeconds(300), true), record)).isFalse();
        scheduler.advanceTo(T0.plusSeconds(1200));
        assertThat(dues()).containsExactly(T0.plusSeconds(600), T0.plusSeconds(1200));
        assertThat(count("probe_run")).isEqualTo(2);
    }

    @Test
    void aFailingSubscriberRollsBackAndIsRetriedSoon() throws Exception {
        start(T0);
        AtomicInteger calls = new AtomicInteger();
        trigger.subscribe("p", every(Duration.ofMinutes(10)), (fire, tx) -> {
            if (calls.incrementAndGet() == 1) {
                tx.createStatement().execute("INSERT INTO probe_run VALUES ('lost')");
                throw new IllegalStateException("crash after storing the run");
            }
            record.onSchedule(fire, tx);
        });
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(calls).hasValue(1);
        assertThat(count("probe_run")).isZero();
        assertThat(count("fired_schedule WHERE last_due_ns IS NOT NULL")).isZero();
        assertThat(scheduler.pending()).containsExactly(T0.plusSeconds(600).plus(RETRY));

        scheduler.advance(RETRY);
        assertThat(fires).containsExactly(new ScheduleFire("p", T0.plusSeconds(600), false));
        assertThat(count("probe_run")).isEqualTo(1);
        assertThat(scheduler.pending()).containsExactly(T0.plusSeconds(1200));
    }

    @Test
    void rejectsASubscriberTwiceAndAnInvalidSchedule() throws Exception {
        start(T0);
        trigger.subscribe("p", every(Duration.ofMinutes(10)), record);
        assertThatThrownBy(() -> trigger.subscribe("p", every(Duration.ofMinutes(5)), record))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trigger.subscribe("q", every(Duration.ZERO), record))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> trigger.subscribe("q", new Trigger.Schedule(null, Duration.ofMinutes(1), T0), record))
                .hasMessageContaining("exactly one");
        assertThat(count("fired_schedule WHERE subscriber='q'")).isZero();
    }

    private int count(String tableAndWhere) throws Exception {
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + tableAndWhere)) {
            return rs.getInt(1);
        }
    }
}
