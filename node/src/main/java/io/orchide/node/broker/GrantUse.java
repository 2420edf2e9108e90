package io.orchide.node.broker;

import io.orchide.model.DeviceGrantSpec;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The requests one grant allowed lately, enough to count them against its quota per orbit, per UTC day and its rate
 * limit. Orbits are counted as consecutive periods of {@code orbitPeriod} from the Unix epoch. Bounded: only the
 * times within the longest span a limit looks back over are kept, and never more than the largest count that can
 * still matter. Not thread-safe: the broker holds its lock around it.
 */
final class GrantUse {
    private final Deque<Instant> times;

    GrantUse() {
        this(java.util.List.of());
    }

    /** Counting on from {@code times} (oldest first), as {@link GrantUses} kept them. */
    GrantUse(java.util.List<Instant> times) {
        this.times = new ArrayDeque<>(times);
    }

    /** How many request times it keeps now. */
    int size() {
        return times.size();
    }

    /** Why {@code spec}'s limits refuse one more request at {@code now}, or null when they allow it. */
    Decision refusal(String grant, DeviceGrantSpec spec, Duration orbitPeriod, Instant now) {
        DeviceGrantSpec.Quota q = spec.quota();
        if (q.perOrbit() != null) {
            long orbit = orbitOf(now, orbitPeriod);
            long used = times.stream().filter(t -> orbitOf(t, orbitPeriod) == orbit).count();
            if (used >= q.perOrbit()) {
                return Decision.refuse(Decision.QUOTA_EXCEEDED, "quota of grant " + grant + ": " + q.perOrbit()
                        + " per orbit, used " + used + " this orbit, requested 1", grant);
            }
        }
        if (q.perDay() != null) {
            var day = now.atOffset(ZoneOffset.UTC).toLocalDate();
            long used = times.stream().filter(t -> t.atOffset(ZoneOffset.UTC).toLocalDate().equals(day)).count();
            if (used >= q.perDay()) {
                return Decision.refuse(Decision.QUOTA_EXCEEDED, "quota of grant " + grant + ": " + q.perDay()
                        + " per day (UTC), used " + used + " on " + day + ", requested 1", grant);
            }
        }
        DeviceGrantSpec.RateLimit rate = spec.rateLimit();
        if (rate != null) {
            Instant since = now.minus(rate.per());
            long recent = times.stream().filter(t -> t.isAfter(since)).count();
            if (recent >= rate.requests()) {
                return Decision.refuse(Decision.RATE_LIMITED, "rate limit of grant " + grant + ": " + rate.requests()
                        + " per " + io.orchide.model.codec.Durations.format(rate.per()) + ", reached", grant);
            }
        }
        return null;
    }

    /** Counts one allowed request at {@code now}, forgetting what no limit of {@code spec} looks at any more. */
    void add(DeviceGrantSpec spec, Duration orbitPeriod, Instant now) {
        times.addLast(now);
        Duration keep = Duration.ofDays(1).plus(orbitPeriod);
        if (spec.rateLimit() != null && spec.rateLimit().per().compareTo(keep) > 0) keep = spec.rateLimit().per();
        Instant horizon = now.minus(keep);
        while (!times.isEmpty() && times.peekFirst().isBefore(horizon)) times.removeFirst();
        int most = Math.max(spec.quota().perOrbit() == null ? 0 : spec.quota().perOrbit(),
                Math.max(spec.quota().perDay() == null ? 0 : spec.quota().perDay(),
                        spec.rateLimit() == null ? 0 : spec.rateLimit().requests()));
        while (times.size() > most) times.removeFirst();
    }

    /** The requests counted in the orbit and in the UTC day of {@code now}. */
    long[] counts(Duration orbitPeriod, Instant now) {
        long orbit = orbitOf(now, orbitPeriod);
        var day = now.atOffset(ZoneOffset.UTC).toLocalDate();
        return new long[] {times.stream().filter(t -> orbitOf(t, orbitPeriod) == orbit).count(),
                times.stream().filter(t -> t.atOffset(ZoneOffset.UTC).toLocalDate().equals(day)).count()};
    }

    static long orbitOf(Instant t, Duration orbitPeriod) {
        return Math.floorDiv(t.toEpochMilli(), orbitPeriod.toMillis());
    }
}
