package io.orchide.twin.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.Transfers;
import io.orchide.orbit.GroundStation;
import io.orchide.twin.scenario.SatelliteSpec;

import java.net.URI;
import java.util.List;

/**
 * Gives ground the stations and TLEs the twin flies with, as an operator would ({@code orchide apply -f station.yaml},
 * {@code orchide set tle}), so that ground's passes (and what it says of when a change arrives) are the twin's
 * contacts: one orbit code, the same inputs.
 */
public final class PassFeed {
    private PassFeed() {
    }

    /** Puts every station of {@code stations} and the TLE of every satellite of {@code satellites} to ground. */
    public static void feed(String groundApi, String adminToken, List<GroundStation> stations, List<SatelliteSpec> satellites) {
        HttpApi admin = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken);
        for (GroundStation s : stations) admin.put("/api/v1/stations/" + s.name(), manifest(s));
        for (SatelliteSpec sat : satellites) {
            admin.put("/api/v1/satellites/" + sat.name() + "/tle", JsonNodeFactory.instance.objectNode()
                    .put("tle", sat.tle().line1() + "\n" + sat.tle().line2()));
        }
    }

    /** The {@code kind: GroundStation} manifest of {@code s}; rates in bits per second, as the scenario gives them. */
    static ObjectNode manifest(GroundStation s) {
        ObjectNode m = JsonNodeFactory.instance.objectNode().put("apiVersion", "orchide.io/v1").put("kind", "GroundStation");
        m.putObject("metadata").put("name", s.name());
        m.putObject("spec").put("latitude", s.latitudeDeg()).put("longitude", s.longitudeDeg()).put("altitude", s.altitudeM())
                .put("minElevation", s.minElevationDeg()).put("uplinkRate", s.upRateBps()).put("downlinkRate", s.downRateBps());
        return m;
    }
}
