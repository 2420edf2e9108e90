package io.orchide.model.codec;

import io.orchide.model.Arch;
import io.orchide.model.DeviceGrant;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.model.Metadata;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a document of {@code kind: DeviceGrant}, each error at its field path with the value found. */
public final class DeviceGrantReader implements KindReader<DeviceGrant> {
    /** The largest quota a grant may name. */
    public static final int MAX_COUNT = 1_000_000;
    private static final Pattern WINDOW = Pattern.compile("(\\d{2}:\\d{2})-(\\d{2}:\\d{2})");

    @Override public String kind() {
        return DeviceGrant.KIND;
    }

    @Override public List<String> topLevelFields() {
        return List.of("apiVersion", "kind", "metadata", "spec");
    }

    @Override public DeviceGrant read(Cursor root, Arch nodeArch) {
        Metadata metadata = MetadataReader.read(root.field("metadata"));
        Cursor spec = root.field("spec");
        if (!spec.present()) {
            spec.missing();
            return null;
        }
        if (!spec.mapping()) return null;
        spec.allowOnly("device", "apps", "pipelines", "verbs", "windows", "quota", "rateLimit");
        String device = MetadataReader.dnsLabel(spec.field("device"), true);
        List<String> apps = names(spec.field("apps"));
        List<String> pipelines = names(spec.field("pipelines"));
        Set<DeviceGrantSpec.Verb> verbs = verbs(spec.field("verbs"));
        DeviceGrantSpec.Windows windows = windows(spec.field("windows"));
        DeviceGrantSpec.Quota quota = quota(spec.field("quota"));
        DeviceGrantSpec.RateLimit rate = rate(spec.field("rateLimit"));
        if (device == null) return null;
        return new DeviceGrant(metadata, new DeviceGrantSpec(device, apps, pipelines, verbs, windows, quota, rate));
    }

    private static Set<DeviceGrantSpec.Verb> verbs(Cursor c) {
        if (!c.present()) {
            c.error("is required; a list of: read, capture, configure");
            return Set.of();
        }
        Set<DeviceGrantSpec.Verb> out = EnumSet.noneOf(DeviceGrantSpec.Verb.class);
        List<Cursor> items = c.items();
        if (c.isList() && items.isEmpty()) c.error("must name at least one of: read, capture, configure");
        for (Cursor item : items) {
            DeviceGrantSpec.Verb v = item.choice(DeviceGrantSpec.Verb.values());
            if (v != null) out.add(v);
        }
        return out;
    }

    private static DeviceGrantSpec.Windows windows(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("utc", "region", "sunlight");
        List<DeviceGrantSpec.UtcWindow> utc = new ArrayList<>();
        for (Cursor item : c.field("utc").items()) {
            String s = item.requiredString();
            if (s == null) continue;
            Matcher m = WINDOW.matcher(s);
            try {
                if (!m.matches()) throw new DateTimeParseException("", s, 0);
                LocalTime start = LocalTime.parse(m.group(1)), end = LocalTime.parse(m.group(2));
                if (start.equals(end)) item.error("must not start and end at the same time (leave utc out for all day)");
                else utc.add(new DeviceGrantSpec.UtcWindow(start, end));
            } catch (DateTimeParseException e) {
                item.error("must be HH:MM-HH:MM in UTC, such as 06:00-18:00");
            }
        }
        Boolean sunlight = c.field("sunlight").bool();
        return new DeviceGrantSpec.Windows(utc, region(c.field("region")), Boolean.TRUE.equals(sunlight));
    }

    private static DeviceGrantSpec.Region region(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("minLat", "maxLat", "minLon", "maxLon");
        Double minLat = required(c.field("minLat"), 90), maxLat = required(c.field("maxLat"), 90);
        Double minLon = required(c.field("minLon"), 180), maxLon = required(c.field("maxLon"), 180);
        if (minLat != null && maxLat != null && minLat > maxLat) {
            c.field("maxLat").error("must be at least minLat (" + minLat + ")");
            return null;
        }
        if (minLat == null || maxLat == null || minLon == null || maxLon == null) return null;
        return new DeviceGrantSpec.Region(minLat, maxLat, minLon, maxLon);
    }

    private static Double required(Cursor c, double limit) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        return c.number(-limit, limit);
    }

    private static DeviceGrantSpec.Quota quota(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("perOrbit", "perDay");
        return new DeviceGrantSpec.Quota(c.field("perOrbit").integer(1, MAX_COUNT), c.field("perDay").integer(1, MAX_COUNT));
    }

    private static DeviceGrantSpec.RateLimit rate(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("requests", "per");
        Cursor r = c.field("requests"), p = c.field("per");
        if (!r.present()) r.missing();
        if (!p.present()) p.missing();
        Integer requests = r.integer(1, MAX_COUNT);
        Duration per = p.duration();
        if (per != null && per.isZero()) {
            p.error("must be longer than 0s");
            per = null;
        }
        return requests == null || per == null ? null : new DeviceGrantSpec.RateLimit(requests, per);
    }

    private static List<String> names(Cursor c) {
        List<String> out = new ArrayList<>();
        for (Cursor item : c.items()) {
            String name = MetadataReader.dnsLabel(item, true);
            if (name != null) out.add(name);
        }
        return out;
    }
}
