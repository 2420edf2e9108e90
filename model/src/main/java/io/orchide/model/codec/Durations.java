package io.orchide.model.codec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifest duration syntax: a whole number and one unit, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}.
 */
public final class Durations {
    /** What a valid duration looks like, for error messages. */
    public static final String SYNTAX = "a positive duration such as 500ms, 30s, 5m, 2h or 1d";

    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)");
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException if {@code text} is not in the syntax or not positive
     */
    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("must be " + SYNTAX);
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) throw new IllegalArgumentException("must be positive");
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** Formats a duration in the largest unit that represents it exactly, at millisecond precision (rounded up). */
    public static String format(Duration duration) {
        long ms = duration.toMillis();
        if (duration.minusMillis(ms).isPositive()) ms++;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
            if (ms != 0 && ms % UNIT_MILLIS[i] == 0) return ms / UNIT_MILLIS[i] + UNIT_NAMES[i];
        }
        return ms + "ms";
    }
}
