package io.orchide.orbit;

import java.time.Instant;

/** Shared test inputs. */
final class Fixtures {

    /** ISS (ZARYA), epoch 2008-09-20T12:25:40Z (the historical TLE quoted by Wikipedia's TLE article). */
    static final Tle ISS = new Tle("ISS (ZARYA)",
            "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
            "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537");

    /** Close to the ISS TLE epoch. */
    static final Instant EPOCH = Instant.parse("2008-09-20T12:00:00Z");

    static final GroundStation TOULOUSE = new GroundStation("toulouse", 43.6045, 1.4440, 150, 10, 256_000, 10_000_000);

    private Fixtures() {
    }

    /** The ISS elements with another inclination (degrees) and a recomputed line-2 checksum. */
    static Tle issWithInclination(String name, double inclinationDeg) {
        String incl = String.format(java.util.Locale.ROOT, "%8.4f", inclinationDeg);
        String l2 = ISS.line2().substring(0, 8) + incl + ISS.line2().substring(16, 68);
        return new Tle(name, ISS.line1(), l2 + Tle.checksum(l2));
    }
}
