package io.orchide.twin.sensor;

import io.orchide.node.device.DeviceInputException;
import io.orchide.node.device.Position;
import io.orchide.node.device.PositionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans when a camera fires: the instants of a fixed grid ({@code from}, {@code from + interval}, ... before
 * {@code to}) at which the sub-satellite point lies in a target region. The grid starts at {@code from}, not at a
 * rounded time, so the same arguments always give the same plan.
 */
public final class CapturePlan {
    /** The most grid instants one plan may look at. */
    public static final long MAX_SAMPLES = 10_000_000;

    private CapturePlan() {
    }

    /**
     * The captures in {@code [from, to)} every {@code interval}, in time order: one per grid instant whose position
     * lies in a target, tagged with the first such target in list order.
     *
     * @throws DeviceInputException naming the field: {@code to} before {@code from}, an interval that is not positive,
     *     a window of more than {@link #MAX_SAMPLES} instants, a missing argument
     */
    public static List<Capture> plan(PositionSource source, List<TargetRegion> targets, Instant from, Instant to,
                                     Duration interval) {
        if (source == null) throw new DeviceInputException("source", null, "is missing");
        if (targets == null) throw new DeviceInputException("targets", null, "is missing");
        if (from == null) throw new DeviceInputException("from", null, "is missing");
        if (to == null) throw new DeviceInputException("to", null, "is missing");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new DeviceInputException("interval", interval, "must be positive");
        }
        if (to.isBefore(from)) throw new DeviceInputException("to", to, "must not be before from " + from);
        List<TargetRegion> regions = List.copyOf(targets);
        List<Capture> captures = new ArrayList<>();
        if (regions.isEmpty()) return captures;
        long samples = samples(from, to, interval);
        for (long i = 0; i < samples; i++) {
            Instant t = from.plus(interval.multipliedBy(i));
            Position p = source.at(t);
            for (TargetRegion r : regions) {
                if (r.contains(p)) {
                    captures.add(new Capture(t, p, r.name()));
                    break;
                }
            }
        }
        return captures;
    }

    private static long samples(Instant from, Instant to, Duration interval) {
        Duration span = Duration.between(from, to);
        long whole;
        try {
            whole = span.dividedBy(interval);
        } catch (ArithmeticException e) {
            throw new DeviceInputException("interval", interval, "gives more than " + MAX_SAMPLES + " instants");
        }
        long n = interval.multipliedBy(whole).equals(span) ? whole : whole + 1;
        if (n > MAX_SAMPLES) {
            throw new DeviceInputException("interval", interval, "gives " + n + " instants between " + from + " and "
                    + to + ", more than " + MAX_SAMPLES);
        }
        return n;
    }
}
