package io.orchide.node.pipeline.trigger;

import io.orchide.model.Cron;
import io.orchide.model.Trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The due times of a {@link Trigger.Schedule} for a subscription anchored at {@code anchor} (its first
 * registration): {@code every} at anchor + k * every for k >= 1; {@code cron} at each matching minute (UTC) after
 * the anchor; {@code at} once, whenever the subscription was registered.
 */
record ScheduleTimes(Trigger.Schedule schedule, Instant anchor) {
    private static final int HORIZON_DAYS = 366 * 29;

    ScheduleTimes {
        validate(schedule);
    }

    /** Exactly one of cron, every, at; a positive period. */
    static void validate(Trigger.Schedule schedule) {
        int set = (schedule.cron() != null ? 1 : 0) + (schedule.every() != null ? 1 : 0)
                + (schedule.at() != null ? 1 : 0);
        if (set != 1) throw new IllegalArgumentException("a schedule needs exactly one of cron, every, at: " + schedule);
        if (schedule.every() != null && (schedule.every().isNegative() || schedule.every().isZero()))
            throw new IllegalArgumentException("every must be positive, not " + schedule.every());
    }

    /** The first due time strictly after {@code t}, or null when there is none. */
    Instant after(Instant t) {
        if (schedule.at() != null) return schedule.at().isAfter(t) ? schedule.at() : null;
        if (schedule.every() != null) {
            long k = t.isBefore(anchor) ? 1 : Duration.between(anchor, t).dividedBy(schedule.every()) + 1;
            return anchor.plus(schedule.every().multipliedBy(k));
        }
        ZonedDateTime next = schedule.cron().next(t.atZone(ZoneOffset.UTC));
        return next == null ? null : next.toInstant();
    }

    /**
     * The latest due time not after {@code now} that is still owed: after {@code lastDue} (the last one fired, null
     * when none) and, except for {@code at}, after the anchor. Null when nothing is owed.
     */
    Instant latestOwed(Instant lastDue, Instant now) {
        Instant from = lastDue != null ? lastDue : schedule.at() != null ? null : anchor;
        Instant due;
        if (schedule.at() != null) {
            due = schedule.at().isAfter(now) ? null : schedule.at();
        } else if (schedule.every() != null) {
            long k = now.isBefore(anchor) ? 0 : Duration.between(anchor, now).dividedBy(schedule.every());
            due = k < 1 ? null : anchor.plus(schedule.every().multipliedBy(k));
        } else {
            due = latestCron(schedule.cron(), from, now);
        }
        return due == null || (from != null && !due.isAfter(from)) ? null : due;
    }

    /**
     * The latest matching minute in (from, to], searched backwards day by day, at most {@link #HORIZON_DAYS} back
     * (beyond the longest gap between two matching days of any expression).
     */
    private static Instant latestCron(Cron cron, Instant from, Instant to) {
        if (!from.isBefore(to)) return null;
        LocalDateTime top = LocalDateTime.ofInstant(to, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime bottom = LocalDateTime.ofInstant(from, ZoneOffset.UTC);
        if (bottom.isBefore(top.minusDays(HORIZON_DAYS))) bottom = top.minusDays(HORIZON_DAYS);
        int firstHour = Long.numberOfTrailingZeros(cron.hours());
        int firstMinute = Long.numberOfTrailingZeros(cron.minutes());
        for (LocalDate d = top.toLocalDate(); !d.isBefore(bottom.toLocalDate()); d = d.minusDays(1)) {
            if (!cron.matches(d.atTime(firstHour, firstMinute))) continue; // the day does not match
            for (int h = 23; h >= 0; h--) {
                if ((cron.hours() & (1L << h)) == 0) continue;
                for (int m = 59; m >= 0; m--) {
                    if ((cron.minutes() & (1L << m)) == 0) continue;
                    LocalDateTime t = d.atTime(h, m);
                    if (t.isAfter(top)) continue;
                    return t.isAfter(bottom) ? t.toInstant(ZoneOffset.UTC) : null;
                }
            }
        }
        return null;
    }
}
