package io.orchide.ground.pass;

import io.orchide.orbit.GroundStation;
import io.orchide.orbit.Tle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a change queued for a satellite will be delivered: whether its uplink queue (the change and everything queued
 * before it) fits the next pass's uplink capacity (the station's rate times the pass's duration, see {@link Pass}),
 * and if not, by which pass it would be through. The link sends a satellite's bundles by priority, then oldest
 * first, so the whole queue is an upper bound for a change of the highest priority and exact for one of the lowest.
 */
public final class DeliveryEstimate {
    /** How far ahead passes are summed to find when a queue that exceeds the next pass would be through. */
    public static final Duration HORIZON = Duration.ofHours(48);

    private final Passes passes;
    private final Clock clock;

    public DeliveryEstimate(Passes passes, Clock clock) {
        this.passes = passes;
        this.clock = clock;
    }

    /** For {@code satellite} with {@code queuedBytes} queued towards it and a session with it up now or not. */
    public Delivery estimate(String satellite, long queuedBytes, boolean inContact) {
        Optional<Tle> tle = passes.tle(satellite);
        if (tle.isEmpty()) return new Delivery(queuedBytes, inContact, null, null, "no TLE for " + satellite);
        return estimate(satellite, tle.get(), passes.stations(), queuedBytes, inContact);
    }

    /**
     * The same with the satellite's TLE ({@code tle}, null: none) and the stations read already, for a listing of
     * many satellites that reads them once.
     */
    public Delivery estimate(String satellite, Tle tle, List<GroundStation> stations, long queuedBytes, boolean inContact) {
        if (tle == null) return new Delivery(queuedBytes, inContact, null, null, "no TLE for " + satellite);
        return estimate(satellite, Optional.of(tle), stations, queuedBytes, inContact);
    }

    private Delivery estimate(String satellite, Optional<Tle> tle, List<GroundStation> stations, long queuedBytes,
                              boolean inContact) {
        if (stations.isEmpty()) return new Delivery(queuedBytes, inContact, null, null, "no ground station");
        Instant now = clock.instant();
        // the next pass is remembered per satellite (the fleet listing asks it too): a queue that fits it, the
        // usual case, costs no propagation; only one that does not propagates the passes after it
        Optional<Pass> next = passes.nextPass(satellite, tle.get(), stations, now);
        if (next.isEmpty()) {
            return new Delivery(queuedBytes, inContact, null, null, "none within " + Passes.NEXT_PASS_WITHIN.toHours() + "h");
        }
        if (queuedBytes <= next.get().uplinkBytes()) return new Delivery(queuedBytes, inContact, next.get(), next.get(), null);
        return of(passes.passes(satellite, tle.get(), stations, now, now.plus(HORIZON)), queuedBytes, inContact);
    }

    /**
     * The estimate over {@code upcoming} (by AOS, a pass already on clipped to start now, as {@link Passes#passes}
     * gives them). Passes that overlap one already counted (two stations seeing the satellite at once) add nothing:
     * the satellite talks through one link at a time.
     */
    static Delivery of(List<Pass> upcoming, long queuedBytes, boolean inContact) {
        if (upcoming.isEmpty()) {
            return new Delivery(queuedBytes, inContact, null, null, "none within " + HORIZON.toHours() + "h");
        }
        long carried = 0;
        Instant busyUntil = Instant.MIN;
        for (Pass p : upcoming) {
            if (p.aos().isBefore(busyUntil)) continue;
            carried += p.uplinkBytes();
            busyUntil = p.los();
            if (carried >= queuedBytes) return new Delivery(queuedBytes, inContact, upcoming.getFirst(), p, null);
        }
        return new Delivery(queuedBytes, inContact, upcoming.getFirst(), null, null);
    }
}
