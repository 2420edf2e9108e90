package io.orchide.orbit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.junit.jupiter.api.Test;
import org.orekit.frames.Frame;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;

class ContactPlannerTest {

    private final ContactPlanner planner = new ContactPlanner();

    /** Window [start, end] in seconds after the sampling origin. */
    private record Window(double start, double end) {
    }

    /**
     * Independent check: SGP4 positions from Orekit's TLEPropagator, everything else by hand.
     * Station ECEF from WGS-84 geodetic coordinates, elevation = asin((r_sat - r_sta) . up / |r_sat - r_sta|),
     * sampled every 5 s, crossings of the minimum elevation interpolated linearly.
     */
    private static List<Window> independentWindows(Tle tle, GroundStation st, Instant from, Instant to) {
        TLEPropagator sgp4 = Sgp4.propagator(tle);
        Frame itrf = OrekitData.itrf();
        double a = 6378137.0;
        double f = 1 / 298.257223563;
        double e2 = f * (2 - f);
        double phi = Math.toRadians(st.latitudeDeg());
        double lambda = Math.toRadians(st.longitudeDeg());
        double n = a / Math.sqrt(1 - e2 * Math.sin(phi) * Math.sin(phi));
        double h = st.altitudeM();
        double[] sta = {(n + h) * Math.cos(phi) * Math.cos(lambda), (n + h) * Math.cos(phi) * Math.sin(lambda),
            (n * (1 - e2) + h) * Math.sin(phi)};
        double[] up = {Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)};

        AbsoluteDate t0 = new AbsoluteDate(from, OrekitData.utc());
        double span = Duration.between(from, to).toMillis() / 1000.0;
        List<Window> out = new ArrayList<>();
        double prevT = 0;
        double prevE = Double.NaN;
        Double open = null;
        for (double t = 0; t <= span + 1e-9; t += 5) {
            AbsoluteDate date = t0.shiftedBy(t);
            Vector3D teme = sgp4.getPVCoordinates(date).getPosition();
            Vector3D r = sgp4.getFrame().getStaticTransformTo(itrf, date).transformPosition(teme);
            double dx = r.getX() - sta[0];
            double dy = r.getY() - sta[1];
            double dz = r.getZ() - sta[2];
            double el = Math.toDegrees(Math.asin((dx * up[0] + dy * up[1] + dz * up[2]) / Math.sqrt(dx * dx + dy * dy + dz * dz)));
            double d = el - st.minElevationDeg();
            if (Double.isNaN(prevE)) {
                if (d > 0) {
                    open = 0.0;
                }
            } else if (prevE <= 0 && d > 0) {
                open = prevT + (t - prevT) * (-prevE) / (d - prevE);
            } else if (prevE > 0 && d <= 0 && open != null) {
                out.add(new Window(open, prevT + (t - prevT) * prevE / (prevE - d)));
                open = null;
            }
            prevT = t;
            prevE = d;
        }
        if (open != null) {
            out.add(new Window(open, span));
        }
        return out;
    }

    private static double secondsAfter(Instant origin, Instant t) {
        return Duration.between(origin, t).toNanos() / 1e9;
    }

    @Test
    void issWindowsAgreeWithIndependentGeometryWithin30Seconds() {
        Instant from = Fixtures.EPOCH;
        Instant to = from.plus(Duration.ofHours(24));
        List<GroundStation> stations = List.of(Fixtures.TOULOUSE,
                new GroundStation("svalbard", 78.23, 15.39, 500, 5, 256_000, 100_000_000),
                new GroundStation("hartebeesthoek", -25.89, 27.69, 1_500, 0, 256_000, 10_000_000));
        List<Contact> contacts = planner.contacts(Fixtures.ISS, stations, from, to);

        assertThat(contacts).isSortedAccordingTo(java.util.Comparator.comparing(Contact::start));
        double maxStartDiff = 0;
        double maxEndDiff = 0;
        int compared = 0;
        for (GroundStation st : stations) {
            List<Contact> mine = contacts.stream().filter(c -> c.station().equals(st.name())).toList();
            List<Window> ref = independentWindows(Fixtures.ISS, st, from, to);
            assertThat(mine).as("passes over 24 h at %s", st.name()).hasSameSizeAs(ref);
            for (int i = 0; i < ref.size(); i++) {
                Contact c = mine.get(i);
                double ds = Math.abs(secondsAfter(from, c.start()) - ref.get(i).start());
                double de = Math.abs(secondsAfter(from, c.end()) - ref.get(i).end());
                maxStartDiff = Math.max(maxStartDiff, ds);
                maxEndDiff = Math.max(maxEndDiff, de);
                compared++;
                assertThat(ds).as("start of pass %d at %s", i, st.name()).isLessThan(30);
                assertThat(de).as("end of pass %d at %s", i, st.name()).isLessThan(30);
                assertThat(c.satellite()).isEqualTo("ISS (ZARYA)");
                assertThat(c.maxElevationDeg()).isBetween(st.minElevationDeg(), 90.0);
            }
        }
        long toulouse = contacts.stream().filter(c -> c.station().equals("toulouse")).count();
        assertThat(toulouse).isBetween(2L, 8L);
        System.out.printf("ISS 24 h: %d windows compared (%s), max |start diff| = %.3f s, max |end diff| = %.3f s%n",
                compared, contacts.stream().collect(java.util.stream.Collectors.groupingBy(Contact::station,
                        java.util.TreeMap::new, java.util.stream.Collectors.counting())), maxStartDiff, maxEndDiff);
    }

    @Test
    void passInProgressAtTheEdgesIsClipped() {
        Instant from = Fixtures.EPOCH;
        Instant to = from.plus(Duration.ofHours(24));
        List<GroundStation> st = List.of(Fixtures.TOULOUSE);
        Contact pass = planner.contacts(Fixtures.ISS, st, from, to).get(0);
        Instant mid = pass.start().plus(pass.duration().dividedBy(2));

        List<Contact> fromMid = planner.contacts(Fixtures.ISS, st, mid, mid.plus(Duration.ofHours(1)));
        assertThat(fromMid.get(0).start()).isEqualTo(mid);
        assertThat(Duration.between(fromMid.get(0).end(), pass.end()).abs()).isLessThan(Duration.ofMillis(10));

        List<Contact> toMid = planner.contacts(Fixtures.ISS, st, mid.minus(Duration.ofHours(1)), mid);
        Contact last = toMid.get(toMid.size() - 1);
        assertThat(last.end()).isEqualTo(mid);
        assertThat(Duration.between(last.start(), pass.start()).abs()).isLessThan(Duration.ofMillis(10));
    }

    @Test
    void northPoleStationSeesAPolarOrbitEveryRevolution() {
        Tle polar = Fixtures.issWithInclination("polar", 90.0);
        GroundStation pole = new GroundStation("north-pole", 90, 0, 0, 10, 1, 1);
        Instant from = Fixtures.EPOCH;
        Instant to = from.plus(Duration.ofHours(24));
        List<Contact> contacts = planner.contacts(polar, List.of(pole), from, to);

        double periodS = 86_400 / 15.72125391;
        assertThat(contacts).hasSizeBetween(15, 17);
        for (int i = 1; i < contacts.size(); i++) {
            double gap = secondsAfter(contacts.get(i - 1).start(), contacts.get(i).start());
            assertThat(gap).as("gap before pass %d", i).isCloseTo(periodS, org.assertj.core.data.Offset.offset(120.0));
        }
        assertThat(contacts).allSatisfy(c -> assertThat(c.maxElevationDeg()).isGreaterThan(80));
    }

    @Test
    void stationFarFromAnEquatorialGroundTrackSeesNothing() {
        Tle equatorial = Fixtures.issWithInclination("equatorial", 0.1);
        GroundStation north = new GroundStation("kiruna", 67.86, 20.96, 400, 5, 1, 1);
        GroundStation equator = new GroundStation("kourou", 5.25, -52.80, 10, 5, 1, 1);
        Instant from = Fixtures.EPOCH;
        List<Contact> contacts = planner.contacts(equatorial, List.of(north, equator), from, from.plus(Duration.ofHours(24)));
        assertThat(contacts).isNotEmpty().allSatisfy(c -> assertThat(c.station()).isEqualTo("kourou"));
    }

    @Test
    void emptyInputsGiveNoContacts() {
        assertThat(planner.contacts(Fixtures.ISS, List.of(), Fixtures.EPOCH, Fixtures.EPOCH.plusSeconds(3600))).isEmpty();
        assertThat(planner.contacts(Fixtures.ISS, List.of(Fixtures.TOULOUSE), Fixtures.EPOCH, Fixtures.EPOCH)).isEmpty();
    }
}
