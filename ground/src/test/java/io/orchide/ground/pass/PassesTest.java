package io.orchide.ground.pass;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.orbit.Contact;
import io.orchide.orbit.ContactPlanner;
import io.orchide.orbit.GroundStation;
import io.orchide.orbit.Tle;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.Repo;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground's passes for a fixed TLE and stations, stored in ground's database (SQLite and PostgreSQL): the same as the
 * twin's (one code), and within 30 s of an independent reference (Vallado's SGP4 from python3-sgp4, its own frames
 * and elevation search), with each pass's capacity from the station's rates.
 */
class PassesTest {
    /** ISS (ZARYA), the historical TLE quoted by the TLE format's public descriptions. */
    static final Tle ISS = new Tle("ISS (ZARYA)",
            "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
            "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537");
    static final Instant T0 = Instant.parse("2008-09-20T12:00:00Z");
    static final GroundStation TOULOUSE = new GroundStation("toulouse", 43.6045, 1.4440, 150, 10, 256_000, 10_000_000);
    static final GroundStation HARTRAO = new GroundStation("hartebeesthoek", -25.89, 27.69, 1_500, 5, 512_000, 20_000_000);
    static final Path REFERENCE = Repo.resolve("ground/src/test/resources/io/orchide/ground/pass/reference_passes.py");

    @TempDir
    Path tmp;
    GroundDatabase db;

    @AfterEach
    void close() {
        if (db != null) db.close();
    }

    Passes open(String backend, MutableClock clock) throws Exception {
        db = backend.equals("sqlite") ? GroundDatabase.sqlite(tmp, clock) : GroundDatabase.postgres(TestPostgres.newDatabase(), 2, clock);
        db.migrate();
        return new Passes(db, clock);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void passesFromTheStoredTleAndStationsAgreeWithTheTwinsAndWithAnIndependentReference(String backend) throws Exception {
        MutableClock clock = new MutableClock(T0);
        Passes passes = open(backend, clock);
        passes.putStation(TOULOUSE);
        passes.putStation(HARTRAO);
        passes.setTle("sat-1", Tle.parse(ISS.line1() + "\n" + ISS.line2(), "sat-1"));

        List<Pass> mine = passes.next("sat-1", Duration.ofHours(24));

        // the twin's planner on the same inputs: the same passes, to the millisecond
        List<Contact> twin = new ContactPlanner().contacts(new Tle("sat-1", ISS.line1(), ISS.line2()),
                List.of(HARTRAO, TOULOUSE), T0, T0.plus(Duration.ofHours(24)));
        assertThat(mine).extracting(Pass::station, Pass::aos, Pass::los)
                .containsExactlyElementsOf(twin.stream().map(c -> org.assertj.core.groups.Tuple.tuple(c.station(), c.start(), c.end())).toList());

        int compared = 0;
        for (GroundStation st : List.of(TOULOUSE, HARTRAO)) {
            List<Pass> at = mine.stream().filter(p -> p.station().equals(st.name())).toList();
            List<Instant[]> ref = reference(ISS, st, T0, Duration.ofHours(24));
            assertThat(ref).as("reference passes at %s", st.name()).isNotEmpty();
            assertThat(at).as("passes at %s against the reference %s", st.name(), ref.stream().map(w -> w[0] + ".." + w[1]).toList())
                    .hasSameSizeAs(ref);
            for (int i = 0; i < at.size(); i++) {
                Pass p = at.get(i);
                assertThat(Duration.between(p.aos(), ref.get(i)[0]).abs()).as("AOS of %s", p).isLessThan(Duration.ofSeconds(30));
                assertThat(Duration.between(p.los(), ref.get(i)[1]).abs()).as("LOS of %s", p).isLessThan(Duration.ofSeconds(30));
                assertThat(p.maxElevationDeg()).isGreaterThanOrEqualTo(st.minElevationDeg());
                double seconds = Duration.between(p.aos(), p.los()).toMillis() / 1000.0;
                assertThat(p.uplinkBytes()).isEqualTo((long) (st.upRateBps() * seconds / 8));
                assertThat(p.downlinkBytes()).isEqualTo((long) (st.downRateBps() * seconds / 8));
                compared++;
            }
        }
        assertThat(compared).as("passes compared").isGreaterThanOrEqualTo(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void stationsAndTlesAreReplacedInPlaceAndASatelliteWithoutTleHasNoPasses(String backend) throws Exception {
        MutableClock clock = new MutableClock(T0);
        Passes passes = open(backend, clock);
        assertThat(passes.putStation(TOULOUSE)).as("new").isTrue();
        GroundStation higher = new GroundStation("toulouse", 43.6045, 1.4440, 150, 30, 1_000, 2_000);
        assertThat(passes.putStation(higher)).as("new").isFalse();
        assertThat(passes.stations()).containsExactly(higher);
        assertThat(passes.next("sat-1", Duration.ofHours(24))).isEmpty();

        passes.setTle("sat-1", ISS);
        passes.setTle("sat-1", ISS);
        assertThat(passes.tles()).containsOnlyKeys("sat-1");
        List<Pass> high = passes.next("sat-1", Duration.ofHours(24));
        assertThat(high).allSatisfy(p -> assertThat(p.maxElevationDeg()).isGreaterThanOrEqualTo(30));

        // the clock moves on: the passes start from now, one in progress from now to its LOS
        Instant mid = high.getFirst().aos().plusSeconds(30);
        clock.set(mid);
        assertThat(passes.next("sat-1", Duration.ofHours(24))).first().satisfies(p -> {
            assertThat(p.aos()).isEqualTo(mid);
            assertThat(Duration.between(p.los(), high.getFirst().los()).abs()).isLessThan(Duration.ofMillis(10));
        });
        clock.set(high.getFirst().los().plusSeconds(1));
        assertThat(passes.next("sat-1", Duration.ofHours(24))).first().satisfies(p ->
                assertThat(Duration.between(p.aos(), high.get(1).aos()).abs()).isLessThan(Duration.ofMillis(10)));
        assertThat(passes.deleteStation("toulouse")).isTrue();
        assertThat(passes.next("sat-1", Duration.ofHours(24))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void theRememberedNextPassIsTheOneComputedAfreshAtEveryMomentOfADay() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Passes passes = open("sqlite", clock);
        passes.putStation(TOULOUSE);
        passes.putStation(HARTRAO);
        passes.setTle("sat-1", ISS);
        Tle tle = passes.tle("sat-1").orElseThrow();
        List<GroundStation> stations = passes.stations();
        int seen = 0;
        for (Instant now = T0; now.isBefore(T0.plus(Duration.ofHours(30))); now = now.plus(Duration.ofMinutes(11))) {
            clock.set(now);
            java.util.Optional<Pass> remembered = passes.nextPass("sat-1", tle, stations, now);
            java.util.Optional<Pass> fresh = passes.next("sat-1", Passes.NEXT_PASS_WITHIN).stream().findFirst();
            assertThat(remembered.isPresent()).as("a next pass at %s", now).isEqualTo(fresh.isPresent());
            if (fresh.isEmpty()) continue;
            Pass r = remembered.get();
            Pass f = fresh.get();
            assertThat(r.station()).as("at %s", now).isEqualTo(f.station());
            assertThat(Duration.between(r.aos(), f.aos()).abs()).as("AOS at %s", now).isLessThan(Duration.ofMillis(10));
            assertThat(Duration.between(r.los(), f.los()).abs()).as("LOS at %s", now).isLessThan(Duration.ofMillis(10));
            seen++;
        }
        assertThat(seen).isGreaterThan(100);

        // a new TLE or a station changed is taken at once
        Tle inclined = new Tle("sat-1", ISS.line1(), withInclination(ISS.line2(), 97.5));
        passes.setTle("sat-1", inclined);
        Instant now = clock.instant();
        assertThat(passes.nextPass("sat-1", inclined, stations, now).map(Pass::aos))
                .isEqualTo(passes.next("sat-1", Passes.NEXT_PASS_WITHIN).stream().findFirst().map(Pass::aos));
        assertThat(passes.nextPass("sat-1", inclined, List.of(), now)).isEmpty();
    }

    static String withInclination(String line2, double deg) {
        String l = line2.substring(0, 8) + String.format(java.util.Locale.ROOT, "%8.4f", deg) + line2.substring(16, 68);
        return l + Tle.checksum(l);
    }

    /** AOS and LOS of each pass from the independent script, in order. */
    static List<Instant[]> reference(Tle tle, GroundStation st, Instant from, Duration length) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", REFERENCE.toString(), tle.line1(), tle.line2(),
                Double.toString(st.latitudeDeg()), Double.toString(st.longitudeDeg()), Double.toString(st.altitudeM()),
                Double.toString(st.minElevationDeg()), from.toString(), Long.toString(length.toSeconds()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("the reference (needs Debian's python3-sgp4): %s", out).isZero();
        List<Instant[]> windows = new ArrayList<>();
        for (String line : out.strip().split("\\R")) {
            if (line.isBlank()) continue;
            String[] f = line.strip().split(" ");
            windows.add(new Instant[] {Instant.parse(f[0]), Instant.parse(f[1])});
        }
        return windows;
    }
}
