package io.orchide.node.housekeeping;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The bytes of housekeeping the node may queue now under its budget of bytes a day: a bucket that fills at the
 * budget's rate up to one day's worth and empties by what is sent. Over any day, what it lets through is at most
 * the budget plus the bucket it started with, which is empty at start: a restart never grants more.
 */
final class Allowance {
    private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();

    private final Clock clock;
    private long bytesPerDay;
    private double bytes;
    private Instant at;

    Allowance(long bytesPerDay, Clock clock) {
        this.clock = clock;
        this.bytesPerDay = bytesPerDay;
        this.at = clock.instant();
    }

    synchronized long available() {
        refill();
        return (long) bytes;
    }

    synchronized void spend(long n) {
        refill();
        if (n > bytes) throw new IllegalArgumentException("spend " + n + " bytes: only " + (long) bytes + " available");
        bytes -= n;
    }

    /** A new budget from now on; what the bucket holds is kept, up to the new day's worth. */
    synchronized void budget(long perDay) {
        refill();
        bytesPerDay = perDay;
        bytes = Math.min(bytes, perDay);
    }

    synchronized long budget() {
        return bytesPerDay;
    }

    private void refill() {
        Instant now = clock.instant();
        if (now.isAfter(at)) {
            double seconds = Duration.between(at, now).toNanos() / 1e9;
            bytes = Math.min(bytesPerDay, bytes + seconds * bytesPerDay / DAY_SECONDS);
            at = now;
        }
    }
}
