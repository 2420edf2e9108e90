package io.orchide.ground.pass;

import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.orbit.Contact;
import io.orchide.orbit.ContactPlanner;
import io.orchide.orbit.GroundStation;
import io.orchide.orbit.Tle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ground stations, each satellite's TLE, and the passes they give, computed with the twin's {@link ContactPlanner}
 * (one code for both). Stations and TLEs live in ground's database, so every replica computes the same passes.
 */
public final class Passes {
    /** The schema this feature adds (an entry of ground's migrations). */
    public static final String MIGRATION = """
            CREATE TABLE ground_station (
              name VARCHAR(63) PRIMARY KEY,
              latitude DOUBLE PRECISION NOT NULL,
              longitude DOUBLE PRECISION NOT NULL,
              altitude DOUBLE PRECISION NOT NULL,
              min_elevation DOUBLE PRECISION NOT NULL,
              uplink_bps BIGINT NOT NULL,
              downlink_bps BIGINT NOT NULL,
              updated_at BIGINT NOT NULL
            );
            CREATE TABLE satellite_tle (
              satellite VARCHAR(63) PRIMARY KEY,
              name VARCHAR(63) NOT NULL,
              line1 VARCHAR(69) NOT NULL,
              line2 VARCHAR(69) NOT NULL,
              updated_at BIGINT NOT NULL
            )
            """;

    /** The longest window {@link #passes} plans over. */
    public static final Duration MAX_WINDOW = Duration.ofDays(14);

    private final GroundDatabase db;
    private final Clock clock;
    private final ContactPlanner planner = new ContactPlanner();
    private final Map<String, Planned> planned = new java.util.concurrent.ConcurrentHashMap<>();

    public Passes(GroundDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates or replaces a station; true when it is new. */
    public boolean putStation(GroundStation s) {
        return db.tx(c -> {
            boolean existed;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ground_station WHERE name = ?")) {
                ps.setString(1, s.name());
                try (ResultSet rs = ps.executeQuery()) {
                    existed = rs.next();
                }
            }
            if (existed) {
                Sql.update(c, "UPDATE ground_station SET latitude = ?, longitude = ?, altitude = ?, min_elevation = ?, "
                        + "uplink_bps = ?, downlink_bps = ?, updated_at = ? WHERE name = ?", s.latitudeDeg(), s.longitudeDeg(),
                        s.altitudeM(), s.minElevationDeg(), s.upRateBps(), s.downRateBps(), clock.millis(), s.name());
            } else {
                Sql.update(c, "INSERT INTO ground_station (name, latitude, longitude, altitude, min_elevation, uplink_bps, "
                        + "downlink_bps, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s.name(), s.latitudeDeg(),
                        s.longitudeDeg(), s.altitudeM(), s.minElevationDeg(), s.upRateBps(), s.downRateBps(), clock.millis());
            }
            return !existed;
        });
    }

    public boolean deleteStation(String name) {
        return db.tx(c -> Sql.update(c, "DELETE FROM ground_station WHERE name = ?", name) > 0);
    }

    /** Every station, by name. */
    public List<GroundStation> stations() {
        return db.read(c -> {
            List<GroundStation> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, latitude, longitude, altitude, min_elevation, "
                    + "uplink_bps, downlink_bps FROM ground_station ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new GroundStation(rs.getString(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getLong(6), rs.getLong(7)));
                }
            }
            return out;
        });
    }

    public Optional<GroundStation> station(String name) {
        return stations().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Sets (or replaces) the TLE of {@code satellite}. */
    public void setTle(String satellite, Tle tle) {
        db.tx(c -> {
            Sql.update(c, "DELETE FROM satellite_tle WHERE satellite = ?", satellite);
            Sql.update(c, "INSERT INTO satellite_tle (satellite, name, line1, line2, updated_at) VALUES (?, ?, ?, ?, ?)",
                    satellite, tle.name(), tle.line1(), tle.line2(), clock.millis());
            return null;
        });
    }

    public Optional<Tle> tle(String satellite) {
        return Optional.ofNullable(tles().get(satellite));
    }

    /** Every satellite's TLE, by satellite. */
    public Map<String, Tle> tles() {
        return db.read(c -> {
            Map<String, Tle> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT satellite, name, line1, line2 FROM satellite_tle");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), new Tle(rs.getString(2), rs.getString(3), rs.getString(4)));
            }
            return out;
        });
    }

    /** The passes of {@code satellite} (named so in each pass) with {@code tle} over every station in [from, to], by AOS. */
    public List<Pass> passes(String satellite, Tle tle, List<GroundStation> stations, Instant from, Instant to) {
        Map<String, GroundStation> byName = new HashMap<>();
        for (GroundStation s : stations) byName.put(s.name(), s);
        Tle named = new Tle(satellite, tle.line1(), tle.line2());
        List<Pass> out = new ArrayList<>();
        for (Contact c : planner.contacts(named, stations, from, to)) out.add(Pass.of(c, byName.get(c.station())));
        return out;
    }

    /**
     * The first pass of {@code satellite} within {@code NEXT_PASS_WITHIN} of {@code now}, as {@link #passes} finds it.
     * Remembered per satellite: listing the fleet propagates only the satellites whose answer may have changed.
     */
    public Optional<Pass> nextPass(String satellite, Tle tle, List<GroundStation> stations, Instant now) {
        if (stations.isEmpty()) return Optional.empty();
        Planned p = planned.get(satellite);
        if (p == null || !p.answers(tle, stations, now)) {
            Instant to = now.plus(NEXT_PASS_WITHIN.multipliedBy(2));
            p = new Planned(tle, List.copyOf(stations), now, to,
                    passes(satellite, tle, stations, now, to).stream().findFirst().orElse(null));
            planned.put(satellite, p);
        }
        Pass first = p.first();
        return first != null && !first.aos().isAfter(now.plus(NEXT_PASS_WITHIN)) ? Optional.of(first) : Optional.empty();
    }

    /** How far ahead {@link #nextPass} looks. */
    public static final Duration NEXT_PASS_WITHIN = Duration.ofHours(24);

    /**
     * The first pass over [from, to] for these inputs. It is the first pass from any later {@code now} as long as
     * that pass has not begun (nothing lies between {@code from} and it) and {@code now + NEXT_PASS_WITHIN} stays
     * within {@code to} (so that "none within" still holds); a pass already on at {@code from} (clipped there) is
     * never reused, as its start moves with {@code now}.
     */
    private record Planned(Tle tle, List<GroundStation> stations, Instant from, Instant to, Pass first) {
        boolean answers(Tle t, List<GroundStation> s, Instant now) {
            if (!tle.equals(t) || !stations.equals(s) || now.isBefore(from)) return false;
            if (now.plus(NEXT_PASS_WITHIN).isAfter(to)) return false;
            return first == null || first.aos().isAfter(from) && now.isBefore(first.aos());
        }
    }

    /** The passes of {@code satellite} from now for {@code next}; empty when it has no TLE or there is no station. */
    public List<Pass> next(String satellite, Duration next) {
        Optional<Tle> tle = tle(satellite);
        if (tle.isEmpty()) return List.of();
        Instant now = clock.instant();
        return passes(satellite, tle.get(), stations(), now, now.plus(next));
    }
}
