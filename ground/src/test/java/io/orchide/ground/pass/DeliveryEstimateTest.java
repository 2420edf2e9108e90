package io.orchide.ground.pass;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.orbit.Tle;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.orchide.ground.pass.PassesTest.ISS;
import static io.orchide.ground.pass.PassesTest.T0;
import static io.orchide.ground.pass.PassesTest.TOULOUSE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * When a change queued for a satellite is delivered, from a fixed TLE and station at a fixed instant: the next pass
 * and whether the queue fits its capacity, and otherwise the pass by which the following passes carry it all.
 */
class DeliveryEstimateTest {
    @TempDir
    Path tmp;
    GroundDatabase db;
    MutableClock clock = new MutableClock(T0);
    Passes passes;
    DeliveryEstimate estimate;

    @BeforeEach
    void open() throws Exception {
        db = GroundDatabase.sqlite(tmp, clock);
        db.migrate();
        passes = new Passes(db, clock);
        estimate = new DeliveryEstimate(passes, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<Pass> ahead() {
        return passes.next("sat-1", DeliveryEstimate.HORIZON);
    }

    @Test
    void withoutATleOrAStationThereIsNoPassAndItSaysWhichIsMissing() {
        Delivery none = estimate.estimate("sat-1", 1000, false);
        assertThat(none.next()).isNull();
        assertThat(none.fits()).isFalse();
        assertThat(none.noPass()).isEqualTo("no TLE for sat-1");

        passes.setTle("sat-1", ISS);
        assertThat(estimate.estimate("sat-1", 1000, false).noPass()).isEqualTo("no ground station");
    }

    @Test
    void aQueueWithinTheNextPassesCapacityFitsItUpToTheLastByte() {
        passes.putStation(TOULOUSE);
        passes.setTle("sat-1", ISS);
        Pass first = ahead().getFirst();
        assertThat(first.aos()).isAfter(T0);
        assertThat(first.uplinkBytes()).isPositive();

        Delivery small = estimate.estimate("sat-1", 1_200_000, false);
        assertThat(small.next()).isEqualTo(first);
        assertThat(small.fits()).isTrue();
        assertThat(small.throughBy()).isEqualTo(first);

        Delivery full = estimate.estimate("sat-1", first.uplinkBytes(), false);
        assertThat(full.fits()).isTrue();
        assertThat(full.throughBy()).isEqualTo(first);
    }

    @Test
    void aQueueOverTheNextPassIsThroughByThePassWhoseCapacitiesSumPastIt() {
        passes.putStation(TOULOUSE);
        passes.setTle("sat-1", ISS);
        List<Pass> ahead = ahead();
        assertThat(ahead).hasSizeGreaterThan(3);

        Delivery over = estimate.estimate("sat-1", ahead.getFirst().uplinkBytes() + 1, false);
        assertThat(over.fits()).isFalse();
        assertThat(over.next()).isEqualTo(ahead.getFirst());
        assertThat(over.throughBy()).isEqualTo(ahead.get(1));

        long three = ahead.get(0).uplinkBytes() + ahead.get(1).uplinkBytes() + ahead.get(2).uplinkBytes();
        assertThat(estimate.estimate("sat-1", three, false).throughBy()).isEqualTo(ahead.get(2));
        assertThat(estimate.estimate("sat-1", three + 1, false).throughBy()).isEqualTo(ahead.get(3));

        long all = ahead.stream().mapToLong(Pass::uplinkBytes).sum();
        Delivery never = estimate.estimate("sat-1", all + 1, false);
        assertThat(never.fits()).isFalse();
        assertThat(never.next()).isEqualTo(ahead.getFirst());
        assertThat(never.throughBy()).as("not through within %s", DeliveryEstimate.HORIZON).isNull();
    }

    @Test
    void duringAPassOnlyWhatIsLeftOfItCounts() {
        passes.putStation(TOULOUSE);
        passes.setTle("sat-1", ISS);
        Pass first = ahead().getFirst();
        clock.set(first.aos().plus(Duration.between(first.aos(), first.los()).dividedBy(2)));

        Delivery now = estimate.estimate("sat-1", first.uplinkBytes(), true);
        assertThat(now.inContact()).isTrue();
        assertThat(now.next().station()).isEqualTo(TOULOUSE.name());
        assertThat(now.next().aos()).isEqualTo(clock.instant());
        assertThat(now.next().los()).isCloseTo(first.los(), within(1, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(now.next().uplinkBytes()).isLessThan(first.uplinkBytes());
        assertThat(now.fits()).as("half the pass is left for the whole pass's capacity").isFalse();
    }

    @Test
    void passesOverlappingOneAlreadyCountedAddNoCapacity() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        Pass a = new Pass("sat-1", "svalbard", t, t.plusSeconds(600), 40, 1000, 0);
        Pass b = new Pass("sat-1", "kiruna", t.plusSeconds(300), t.plusSeconds(900), 20, 1000, 0);
        Pass c = new Pass("sat-1", "svalbard", t.plus(Duration.ofMinutes(95)), t.plus(Duration.ofMinutes(105)), 30, 1000, 0);

        Delivery d = DeliveryEstimate.of(List.of(a, b, c), 1500, false);
        assertThat(d.next()).isEqualTo(a);
        assertThat(d.throughBy()).as("kiruna sees it while svalbard does: one link at a time").isEqualTo(c);
        assertThat(DeliveryEstimate.of(List.of(), 1, false).noPass()).isEqualTo("none within 48h");
    }
}
