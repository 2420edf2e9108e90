package io.orchide.model;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link DeviceGrant} allows: the {@code device} (its name in the node's inventory), the {@code apps} and
 * {@code pipelines} of the grant's tenant it covers (both empty: all of them), the {@code verbs}, the {@code windows}
 * in which requests may be made (null fields: at any time, anywhere), the {@code quota} (null fields: no limit) and
 * the {@code rateLimit} (null: none).
 */
public record DeviceGrantSpec(String device, List<String> apps, List<String> pipelines, Set<Verb> verbs,
                              Windows windows, Quota quota, RateLimit rateLimit) {
    public DeviceGrantSpec {
        Objects.requireNonNull(device, "device");
        apps = List.copyOf(Objects.requireNonNullElse(apps, List.of()));
        pipelines = List.copyOf(Objects.requireNonNullElse(pipelines, List.of()));
        verbs = Set.copyOf(Objects.requireNonNullElse(verbs, Set.of()));
        windows = windows == null ? Windows.ALWAYS : windows;
        quota = quota == null ? Quota.NONE : quota;
    }

    /** What a request asks of a device. */
    public enum Verb {
        /** Take a reading (a position, a sensor value, the device's reported properties). */
        READ("read"),
        /** Take a capture (a frame) into a dataset; needs the device's exclusive lease. */
        CAPTURE("capture"),
        /** Change the device's desired properties; needs the device's exclusive lease. */
        CONFIGURE("configure");

        private final String wire;

        Verb(String wire) {
            this.wire = wire;
        }

        /** The verb that reads {@code wire}, or null. */
        public static Verb of(String wire) {
            for (Verb v : values()) if (v.wire.equals(wire)) return v;
            return null;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /**
     * When requests may be made: in one of the daily {@code utc} windows (none: at any hour), with the sub-satellite
     * point inside {@code region} (null: anywhere), and, when {@code sunlight} is true, with that point in daylight.
     */
    public record Windows(List<UtcWindow> utc, Region region, boolean sunlight) {
        public static final Windows ALWAYS = new Windows(List.of(), null, false);

        public Windows {
            utc = List.copyOf(Objects.requireNonNullElse(utc, List.of()));
        }

        /** Whether the windows depend on where the satellite is. */
        public boolean needsPosition() {
            return region != null || sunlight;
        }
    }

    /** A daily window in UTC from {@code start} (included) to {@code end} (excluded); past midnight when end < start. */
    public record UtcWindow(LocalTime start, LocalTime end) {
        public boolean contains(LocalTime t) {
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }

        @Override
        public String toString() {
            return start + "-" + end;
        }
    }

    /** A latitude/longitude box in degrees; crosses the antimeridian when {@code minLon > maxLon}. */
    public record Region(double minLat, double maxLat, double minLon, double maxLon) {
        public boolean contains(double lat, double lon) {
            if (lat < minLat || lat > maxLat) return false;
            return minLon <= maxLon ? lon >= minLon && lon <= maxLon : lon >= minLon || lon <= maxLon;
        }
    }

    /** At most {@code perOrbit} granted requests per orbit and {@code perDay} per UTC day; null: no limit. */
    public record Quota(Integer perOrbit, Integer perDay) {
        public static final Quota NONE = new Quota(null, null);

        public boolean limited() {
            return perOrbit != null || perDay != null;
        }
    }

    /** At most {@code requests} requests in any {@code per}. */
    public record RateLimit(int requests, Duration per) {
    }
}
