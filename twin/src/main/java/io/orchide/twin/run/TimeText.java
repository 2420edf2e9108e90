package io.orchide.twin.run;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Simulated instants, durations and byte counts as the twin prints them. */
final class TimeText {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private TimeText() {
    }

    static String at(Instant t) {
        return CLOCK.format(t);
    }

    static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 120) return s + " s";
        if (s < 7200) return (s / 60) + " min";
        return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }

    static String bytes(long b) {
        if (b < 10_000) return b + " B";
        if (b < 10_000_000) return String.format(Locale.ROOT, "%.1f KB", b / 1000.0);
        return String.format(Locale.ROOT, "%.1f MB", b / 1_000_000.0);
    }

    static String rate(long bitsPerSecond) {
        if (bitsPerSecond >= 1_000_000) return String.format(Locale.ROOT, "%.3g Mbit/s", bitsPerSecond / 1e6);
        if (bitsPerSecond >= 1_000) return String.format(Locale.ROOT, "%.3g kbit/s", bitsPerSecond / 1e3);
        return bitsPerSecond + " bit/s";
    }
}
