package io.orchide.node.device;

import io.orchide.orbit.Tle;

import java.time.Duration;

/**
 * Where the node learns its position, from the devices file's {@code position} entry or {@code orchide node --tle}:
 * the satellite's own {@code tle} (null: none), the declared GNSS receiver {@code gnss} whose device path gives NMEA
 * sentences (null: none), and how old a GNSS fix may be and still answer ({@code maxFixAge}). With both, the
 * receiver's fix comes first and the TLE answers while it has none recent enough.
 */
public record PositionSettings(Tle tle, String gnss, Duration maxFixAge) {
    public static final Duration DEFAULT_MAX_FIX_AGE = Duration.ofSeconds(10);

    public PositionSettings {
        maxFixAge = maxFixAge == null ? DEFAULT_MAX_FIX_AGE : maxFixAge;
    }

    /** These settings with {@code tle} as the satellite's TLE. */
    public PositionSettings withTle(Tle tle) {
        return new PositionSettings(tle, gnss, maxFixAge);
    }
}
