package io.orchide.orbit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.hipparchus.ode.events.Action;
import org.hipparchus.util.FastMath;
import org.orekit.bodies.GeodeticPoint;
import org.orekit.bodies.OneAxisEllipsoid;
import org.orekit.frames.TopocentricFrame;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.propagation.events.ElevationDetector;
import org.orekit.time.AbsoluteDate;

/**
 * Contact windows of one TLE satellite with ground stations: SGP4 ({@link TLEPropagator}) with one
 * {@link ElevationDetector} per station at the station's minimum elevation (geometric, no
 * refraction), checked every {@value #MAX_CHECK_S} s and located to {@value #THRESHOLD_S} s.
 *
 * <p>A pass already in progress at {@code from} starts at {@code from}; one still in progress at
 * {@code to} ends at {@code to}. Passes shorter than the check interval that never cross it can be
 * missed (at 60 s that only drops grazing passes barely above the mask).
 *
 * <p>Stateless and thread-safe: each call builds its own propagator.
 */
public final class ContactPlanner {

    /** Maximum check interval of the elevation detectors, seconds. */
    public static final double MAX_CHECK_S = 60.0;
    /** Convergence threshold of the elevation detectors, seconds. */
    public static final double THRESHOLD_S = 1.0e-3;

    /** Contacts of {@code sat} with each of {@code stations} within [{@code from}, {@code to}], sorted by start. */
    public List<Contact> contacts(Tle sat, List<GroundStation> stations, Instant from, Instant to) {
        Objects.requireNonNull(sat, "sat");
        Objects.requireNonNull(stations, "stations");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new OrbitInputException("to", to, "is before from " + from);
        }
        if (stations.isEmpty() || to.equals(from)) {
            return List.of();
        }
        TLEPropagator propagator = Sgp4.propagator(sat);
        OneAxisEllipsoid earth = Sgp4.earth();
        AbsoluteDate start = Sgp4.date(from);
        AbsoluteDate end = Sgp4.date(to);

        List<Tracker> trackers = new ArrayList<>();
        for (GroundStation station : stations) {
            Objects.requireNonNull(station, "station");
            GeodeticPoint point = new GeodeticPoint(FastMath.toRadians(station.latitudeDeg()),
                    FastMath.toRadians(station.longitudeDeg()), station.altitudeM());
            TopocentricFrame topo = new TopocentricFrame(earth, point, station.name());
            Tracker tracker = new Tracker(station, topo);
            trackers.add(tracker);
            ElevationDetector detector = new ElevationDetector(MAX_CHECK_S, THRESHOLD_S, topo)
                    .withConstantElevation(FastMath.toRadians(station.minElevationDeg()))
                    .withHandler((s, d, increasing) -> {
                        tracker.event(s.getDate(), increasing);
                        return Action.CONTINUE;
                    });
            propagator.addEventDetector(detector);
            // pass in progress at `from`
            if (elevationDeg(propagator, topo, start) > station.minElevationDeg()) {
                tracker.openAt = start;
            }
        }
        propagator.propagate(start, end);

        List<Contact> contacts = new ArrayList<>();
        for (Tracker t : trackers) {
            if (t.openAt != null) {
                t.windows.add(new AbsoluteDate[] {t.openAt, end});
            }
            for (AbsoluteDate[] w : t.windows) {
                double maxEl = maxElevationDeg(propagator, t.topo, w[0], w[1]);
                contacts.add(new Contact(sat.name(), t.station.name(), Sgp4.instant(w[0]), Sgp4.instant(w[1]), maxEl));
            }
        }
        contacts.sort(Comparator.comparing(Contact::start).thenComparing(Contact::station));
        return List.copyOf(contacts);
    }

    /** Elevation without running the event detectors (analytical propagation straight to the date). */
    private static double elevationDeg(TLEPropagator p, TopocentricFrame topo, AbsoluteDate date) {
        // TLEPropagator.getPVCoordinates(date) is the bare SGP4 model in TEME: no event detection
        return FastMath.toDegrees(topo.getElevation(p.getPVCoordinates(date).getPosition(), p.getFrame(), date));
    }

    /** Golden-section search for the culmination (elevation is unimodal over one pass). */
    private static double maxElevationDeg(TLEPropagator p, TopocentricFrame topo, AbsoluteDate a, AbsoluteDate b) {
        double lo = 0;
        double hi = b.durationFrom(a);
        final double phi = (FastMath.sqrt(5) - 1) / 2;
        double x1 = hi - phi * (hi - lo);
        double x2 = lo + phi * (hi - lo);
        double f1 = elevationDeg(p, topo, a.shiftedBy(x1));
        double f2 = elevationDeg(p, topo, a.shiftedBy(x2));
        while (hi - lo > 0.1) {
            if (f1 < f2) {
                lo = x1;
                x1 = x2;
                f1 = f2;
                x2 = lo + phi * (hi - lo);
                f2 = elevationDeg(p, topo, a.shiftedBy(x2));
            } else {
                hi = x2;
                x2 = x1;
                f2 = f1;
                x1 = hi - phi * (hi - lo);
                f1 = elevationDeg(p, topo, a.shiftedBy(x1));
            }
        }
        double best = FastMath.max(f1, f2);
        best = FastMath.max(best, elevationDeg(p, topo, a));
        return FastMath.max(best, elevationDeg(p, topo, b));
    }

    private static final class Tracker {
        final GroundStation station;
        final TopocentricFrame topo;
        final List<AbsoluteDate[]> windows = new ArrayList<>();
        AbsoluteDate openAt;

        Tracker(GroundStation station, TopocentricFrame topo) {
            this.station = station;
            this.topo = topo;
        }

        void event(AbsoluteDate date, boolean increasing) {
            if (increasing) {
                if (openAt == null) {
                    openAt = date;
                }
            } else if (openAt != null) {
                windows.add(new AbsoluteDate[] {openAt, date});
                openAt = null;
            }
        }
    }
}
