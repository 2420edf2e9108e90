package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.pass.Pass;
import io.orchide.ground.pass.Passes;
import io.orchide.ground.pass.StationReader;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.codec.Durations;
import io.orchide.orbit.GroundStation;
import io.orchide.orbit.OrbitInputException;
import io.orchide.orbit.Tle;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ground stations ({@code /api/v1/stations}: {@code kind: GroundStation} manifests, applied by operators), each
 * satellite's TLE ({@code PUT /api/v1/satellites/{sat}/tle}, operators) and its passes
 * ({@code GET /api/v1/satellites/{sat}/passes?next=24h}, whoever may read the satellite).
 */
final class PassApi {
    static final Duration DEFAULT_NEXT = Duration.ofHours(24);

    private final Passes passes;
    private final Access access;
    private final java.time.Clock clock;

    PassApi(Passes passes, Access access, java.time.Clock clock) {
        this.passes = passes;
        this.access = access;
        this.clock = clock;
    }

    void register(ApiServer s, String sat, String seg) {
        s.route("GET", "/api/v1/stations", (ex, m) -> list(ex))
                .route("GET", "/api/v1/stations/" + seg, (ex, m) -> get(ex, m.group(1)))
                .route("PUT", "/api/v1/stations/" + seg, (ex, m) -> put(ex, m.group(1)))
                .route("DELETE", "/api/v1/stations/" + seg, (ex, m) -> delete(ex, m.group(1)))
                .route("PUT", sat + "/tle", (ex, m) -> setTle(ex, GroundApi.sat(m.group(1))))
                .route("GET", sat + "/tle", (ex, m) -> getTle(ex, GroundApi.sat(m.group(1))))
                .route("GET", sat + "/passes", (ex, m) -> passes(ex, GroundApi.sat(m.group(1))));
    }

    private void list(HttpExchange ex) throws IOException {
        access.listScope(ex, Resource.STATIONS);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (GroundStation st : passes.stations()) a.add(view(st));
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    private void get(HttpExchange ex, String name) throws IOException {
        access.require(ex, Verb.GET, Resource.STATIONS, null, name);
        Exchange.send(ex, 200, view(passes.station(name).orElseThrow(() -> noStation(name))));
    }

    private void put(HttpExchange ex, String name) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        boolean exists = passes.station(name).isPresent();
        access.require(ex, exists ? Verb.UPDATE : Verb.CREATE, Resource.STATIONS, null, name);
        GroundStation st;
        try {
            st = StationReader.read(body);
        } catch (ManifestException e) {
            throw new ApiException(400, "invalid", "GroundStation rejected: " + e.errors().size() + " error(s)", e.errors());
        }
        if (!st.name().equals(name)) {
            throw GroundApi.invalid("metadata.name", st.name(), "differs from the name in the path " + name);
        }
        boolean created = passes.putStation(st);
        ObjectNode o = view(st);
        o.put("result", created ? "created" : "configured");
        Exchange.send(ex, created ? 201 : 200, o);
    }

    private void delete(HttpExchange ex, String name) throws IOException {
        access.require(ex, Verb.DELETE, Resource.STATIONS, null, name);
        if (!passes.deleteStation(name)) throw noStation(name);
        Exchange.send(ex, 200, Exchange.JSON.objectNode().put("name", name).put("result", "deleted"));
    }

    private void setTle(HttpExchange ex, String sat) throws IOException {
        access.require(ex, Verb.UPDATE, Resource.SATELLITES, null, sat);
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode text = body.path("tle");
        if (!text.isTextual()) throw GroundApi.invalid("tle", text.isMissingNode() ? null : text.toString(),
                "is required: the two element lines, or three lines with a name first");
        Tle tle;
        try {
            tle = Tle.parse(text.asText(), sat);
        } catch (OrbitInputException e) {
            // the message is "field: reason (value: v)"; the error carries the value apart
            String reason = e.getMessage().substring(e.field().length() + 2,
                    e.getMessage().length() - (" (value: " + e.value() + ")").length());
            throw new ApiException(400, "invalid", "TLE rejected: tle." + e.getMessage(),
                    List.of(new FieldError("tle." + e.field(), e.value(), reason)));
        }
        passes.setTle(sat, tle);
        Exchange.send(ex, 200, tleView(sat, tle));
    }

    private void getTle(HttpExchange ex, String sat) throws IOException {
        access.require(ex, Verb.GET, Resource.SATELLITES, null, sat);
        Exchange.send(ex, 200, tleView(sat, passes.tle(sat).orElseThrow(() -> noTle(sat))));
    }

    private void passes(HttpExchange ex, String sat) throws IOException {
        access.require(ex, Verb.GET, Resource.SATELLITES, null, sat);
        Map<String, String> q = Exchange.query(ex);
        Duration next = DEFAULT_NEXT;
        String n = q.get("next");
        if (n != null) {
            try {
                next = Durations.parse(n);
            } catch (IllegalArgumentException e) {
                throw GroundApi.invalid("next", n, "must be " + Durations.SYNTAX);
            }
            if (next.compareTo(Passes.MAX_WINDOW) > 0) {
                throw GroundApi.invalid("next", n, "must be at most " + Durations.format(Passes.MAX_WINDOW));
            }
        }
        if (passes.tle(sat).isEmpty()) throw noTle(sat);
        ArrayNode a = Exchange.JSON.arrayNode();
        java.time.Instant now = clock.instant();
        for (Pass p : passes.next(sat, next)) a.add(view(p, now));
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat).put("next", Durations.format(next));
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    /** The next pass of {@code sat} (from its TLE in {@code tles}) over {@code stations} within a day. */
    static Optional<Pass> nextPass(Passes passes, String sat, Map<String, io.orchide.orbit.Tle> tles,
                                   List<GroundStation> stations, java.time.Instant now) {
        Tle tle = tles.get(sat);
        return tle == null ? Optional.empty() : passes.nextPass(sat, tle, stations, now);
    }

    /** A pass; {@code startsInSeconds} is from ground's clock (a twin's ground runs a simulated one), 0 once it is on. */
    static ObjectNode view(Pass p, java.time.Instant now) {
        return Exchange.JSON.objectNode().put("satellite", p.satellite()).put("station", p.station())
                .put("startsInSeconds", Math.max(0, java.time.Duration.between(now, p.aos()).toSeconds()))
                .put("aos", p.aos().toString()).put("los", p.los().toString())
                .put("durationSeconds", java.time.Duration.between(p.aos(), p.los()).toSeconds())
                .put("maxElevation", Math.round(p.maxElevationDeg() * 10) / 10.0)
                .put("uplinkBytes", p.uplinkBytes()).put("downlinkBytes", p.downlinkBytes());
    }

    /**
     * When a satellite's uplink queue will be delivered: {@code queuedBytes}, {@code inContact}, and either
     * {@code nextPass} with {@code capacityBytes} (its uplink), {@code fits} and {@code throughBy} (the pass by which
     * the queue would be through; null when none within {@link io.orchide.ground.pass.DeliveryEstimate#HORIZON}), or,
     * without a pass, {@code nextPass} null and {@code noPass} saying why.
     */
    static ObjectNode view(io.orchide.ground.pass.Delivery d, java.time.Instant now) {
        ObjectNode o = Exchange.JSON.objectNode().put("queuedBytes", d.queuedBytes()).put("inContact", d.inContact());
        if (d.next() == null) {
            o.putNull("nextPass");
            o.put("fits", false).put("noPass", d.noPass());
            return o;
        }
        o.set("nextPass", view(d.next(), now));
        o.put("capacityBytes", d.next().uplinkBytes()).put("fits", d.fits());
        if (d.throughBy() == null) o.putNull("throughBy");
        else o.set("throughBy", view(d.throughBy(), now));
        return o;
    }

    private static ObjectNode view(GroundStation s) {
        return Exchange.JSON.objectNode().put("name", s.name()).put("latitude", s.latitudeDeg())
                .put("longitude", s.longitudeDeg()).put("altitude", s.altitudeM())
                .put("minElevation", s.minElevationDeg()).put("uplinkRate", s.upRateBps())
                .put("downlinkRate", s.downRateBps());
    }

    private static ObjectNode tleView(String sat, Tle t) {
        return Exchange.JSON.objectNode().put("satellite", sat).put("name", t.name()).put("line1", t.line1())
                .put("line2", t.line2());
    }

    private static ApiException noStation(String name) {
        return new ApiException(404, "not_found", "no ground station " + name,
                List.of(new FieldError("station", name, "no such ground station")));
    }

    private static ApiException noTle(String sat) {
        return new ApiException(404, "not_found", "no TLE for satellite " + sat + " (an operator sets it: orchide set tle "
                + sat + " -f FILE)", List.of(new FieldError("satellite", sat, "has no TLE")));
    }
}
