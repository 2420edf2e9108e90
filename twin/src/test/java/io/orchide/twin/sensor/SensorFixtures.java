package io.orchide.twin.sensor;

import io.orchide.node.device.Position;
import io.orchide.orbit.Tle;
import java.time.Instant;

/** Shared test inputs. */
final class SensorFixtures {

    /** ISS (ZARYA), epoch 2008-09-20T12:25:40Z (the historical TLE quoted by Wikipedia's TLE article); 51.64 deg. */
    static final Tle ISS = new Tle("ISS (ZARYA)",
            "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927",
            "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537");

    /** Close to the ISS TLE epoch. */
    static final Instant EPOCH = Instant.parse("2008-09-20T12:00:00Z");

    static final Instant T = Instant.parse("2026-12-01T00:12:00Z");
    static final Position MUNICH = new Position(T, 48.1234, 11.5678, 420_000);

    private SensorFixtures() {
    }

    /** The number of pixel bytes of {@code pgm} at or above {@code threshold}, as the cloudcover unikernel counts. */
    static long bright(byte[] pgm, int threshold) {
        PgmHeader h = PgmHeader.parse(pgm);
        long n = 0;
        for (int i = h.dataOffset(); i < pgm.length; i++) if ((pgm[i] & 0xFF) >= threshold) n++;
        return n;
    }

    /** The cover the cloudcover unikernel reports: percent of pixels >= 200, rounded down. */
    static long cover(byte[] pgm) {
        return bright(pgm, 200) * 100 / PgmHeader.parse(pgm).pixelBytes();
    }
}
