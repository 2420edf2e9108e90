package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Position;
import io.orchide.orbit.GroundTrack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.orchide.twin.sensor.SensorFixtures.EPOCH;
import static io.orchide.twin.sensor.SensorFixtures.ISS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CapturePlanTest {
    private static final Instant FROM = EPOCH.plusMillis(250);
    private static final Instant TO = FROM.plus(Duration.ofHours(6));
    private static final Duration STEP = Duration.ofSeconds(20);
    private static final TargetRegion NORTH_MID = new TargetRegion("north-mid", 35, 50, -180, 180);
    private static final TargetRegion PACIFIC = new TargetRegion("pacific", -50, 50, 160, -160);
    private static final TargetRegion POLE = new TargetRegion("pole", 80, 90, -180, 180);

    @Test
    void theOrbitSourceGivesTheGroundTrack() {
        Position p = new OrbitPositionSource(ISS).at(FROM);
        GroundTrack.Point q = GroundTrack.at(ISS, FROM);

        assertThat(p.time()).isEqualTo(FROM);
        assertThat(p.latitudeDeg()).isEqualTo(q.latitudeDeg());
        assertThat(p.longitudeDeg()).isEqualTo(q.longitudeDeg());
        assertThat(p.altitudeM()).isCloseTo(350_000, within(50_000.0));
    }

    @Test
    void capturesFallOnTheGridAndInsideTheirTarget() {
        List<Capture> plan =
                CapturePlan.plan(new OrbitPositionSource(ISS), List.of(NORTH_MID, PACIFIC), FROM, TO, STEP);

        assertThat(plan).isNotEmpty();
        assertThat(plan).extracting(Capture::target).contains("north-mid", "pacific");
        Instant previous = null;
        for (Capture c : plan) {
            Duration since = Duration.between(FROM, c.time());
            assertThat(since.isNegative()).isFalse();
            assertThat(c.time()).isBefore(TO);
            assertThat(since.toNanos() % STEP.toNanos()).isZero();
            if (previous != null) assertThat(c.time()).isAfter(previous);
            previous = c.time();
            TargetRegion r = c.target().equals("north-mid") ? NORTH_MID : PACIFIC;
            assertThat(r.contains(c.position())).as("%s", c).isTrue();
            if (c.target().equals("pacific")) assertThat(NORTH_MID.contains(c.position())).isFalse();
            assertThat(c.position().time()).isEqualTo(c.time());
        }
    }

    @Test
    void everyGridInstantOverATargetIsCapturedAndThePlanIsRepeatable() {
        List<Capture> plan = CapturePlan.plan(new OrbitPositionSource(ISS), List.of(NORTH_MID), FROM, TO, STEP);
        OrbitPositionSource source = new OrbitPositionSource(ISS);
        long inside = 0;
        for (Instant t = FROM; t.isBefore(TO); t = t.plus(STEP)) if (NORTH_MID.contains(source.at(t))) inside++;

        assertThat(plan).hasSize((int) inside);
        assertThat(CapturePlan.plan(new OrbitPositionSource(ISS), List.of(NORTH_MID), FROM, TO, STEP)).isEqualTo(plan);
    }

    @Test
    void noCaptureOverARegionTheOrbitNeverOverflies() {
        assertThat(CapturePlan.plan(new OrbitPositionSource(ISS), List.of(POLE), FROM, TO, STEP)).isEmpty();
        assertThat(CapturePlan.plan(new OrbitPositionSource(ISS), List.of(), FROM, TO, STEP)).isEmpty();
        assertThat(CapturePlan.plan(new OrbitPositionSource(ISS), List.of(NORTH_MID), FROM, FROM, STEP)).isEmpty();
    }

    @Test
    void theWindowIsHalfOpen() {
        TargetRegion everywhere = new TargetRegion("all", -90, 90, -180, 180);
        List<Capture> plan = CapturePlan.plan(new OrbitPositionSource(ISS), List.of(everywhere), FROM,
                FROM.plusSeconds(60), STEP);

        assertThat(plan).extracting(Capture::time)
                .containsExactly(FROM, FROM.plusSeconds(20), FROM.plusSeconds(40));
        assertThat(CapturePlan.plan(new OrbitPositionSource(ISS), List.of(everywhere), FROM, FROM.plusSeconds(61),
                STEP)).hasSize(4);
    }

    @Test
    void refusesBadArgumentsNamingThem() {
        OrbitPositionSource s = new OrbitPositionSource(ISS);
        List<TargetRegion> t = List.of(NORTH_MID);
        assertThatThrownBy(() -> CapturePlan.plan(s, t, FROM, TO, Duration.ZERO))
                .isInstanceOf(DeviceInputException.class).hasMessageStartingWith("interval:");
        assertThatThrownBy(() -> CapturePlan.plan(s, t, FROM, TO, Duration.ofSeconds(-1)))
                .hasMessageStartingWith("interval:");
        assertThatThrownBy(() -> CapturePlan.plan(s, t, TO, FROM, STEP)).hasMessageStartingWith("to:");
        assertThatThrownBy(() -> CapturePlan.plan(s, t, FROM, FROM.plus(Duration.ofDays(400)), Duration.ofSeconds(1)))
                .hasMessageStartingWith("interval:").hasMessageContaining("more than 10000000");
        assertThatThrownBy(() -> CapturePlan.plan(null, t, FROM, TO, STEP)).hasMessageStartingWith("source:");
    }
}
