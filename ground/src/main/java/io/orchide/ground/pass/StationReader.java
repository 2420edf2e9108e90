package io.orchide.ground.pass;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.model.ManifestException;
import io.orchide.model.codec.Cursor;
import io.orchide.model.codec.Errors;
import io.orchide.orbit.GroundStation;

/**
 * Reads a {@code kind: GroundStation} manifest: {@code metadata.name}, and in {@code spec} the geodetic
 * {@code latitude} and {@code longitude} (degrees), {@code altitude} (metres, default 0), {@code minElevation}
 * (degrees above the horizon, default {@value #DEFAULT_MIN_ELEVATION}), {@code uplinkRate} and {@code downlinkRate}
 * (bits per second: 2M, 512k, 9600). Every error is reported at once with its field path; nothing is returned then.
 */
public final class StationReader {
    public static final String KIND = "GroundStation";
    public static final double DEFAULT_MIN_ELEVATION = 5.0;

    private StationReader() {
    }

    public static GroundStation read(JsonNode doc) throws ManifestException {
        Errors errors = new Errors();
        Cursor root = Cursor.root(doc, "", errors);
        if (!root.mapping()) {
            errors.throwIfAny();
        }
        root.allowOnly("apiVersion", "kind", "metadata", "spec");
        Cursor api = root.field("apiVersion");
        String version = api.requiredString();
        if (version != null && !version.equals("orchide.io/v1")) api.error("must be orchide.io/v1");
        Cursor kind = root.field("kind");
        String k = kind.requiredString();
        if (k != null && !k.equals(KIND)) kind.error("must be " + KIND);
        Cursor meta = root.field("metadata");
        String name = null;
        if (!meta.present()) meta.missing();
        else if (meta.mapping()) {
            meta.allowOnly("name", "labels");
            Cursor n = meta.field("name");
            name = n.requiredString();
            if (name != null && !SatelliteNames.valid(name)) {
                n.error(SatelliteNames.problem(name));
                name = null;
            }
        }
        Cursor spec = root.field("spec");
        Double lat = null;
        Double lon = null;
        Double alt = 0.0;
        Double minEl = DEFAULT_MIN_ELEVATION;
        Long up = null;
        Long down = null;
        if (!spec.present()) spec.missing();
        else if (spec.mapping()) {
            spec.allowOnly("latitude", "longitude", "altitude", "minElevation", "uplinkRate", "downlinkRate");
            lat = required(spec.field("latitude"), -90, 90);
            lon = required(spec.field("longitude"), -180, 180);
            Cursor a = spec.field("altitude");
            if (a.present()) alt = a.number(-500, 10_000);
            Cursor e = spec.field("minElevation");
            if (e.present()) minEl = e.number(0, 89);
            up = requiredRate(spec.field("uplinkRate"));
            down = requiredRate(spec.field("downlinkRate"));
        }
        errors.throwIfAny();
        return new GroundStation(name, lat, lon, alt, minEl, up, down);
    }

    private static Double required(Cursor c, double min, double max) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        return c.number(min, max);
    }

    private static Long requiredRate(Cursor c) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        return c.rate();
    }
}
