package io.orchide.ground.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.pass.Passes;
import io.orchide.ground.series.FullLogRequests;
import io.orchide.model.FieldError;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static io.orchide.ground.api.GroundApi.putInstant;
import static io.orchide.ground.api.GroundApi.sat;

/**
 * A workload's whole log on request: {@code POST /api/v1/satellites/{sat}/logs/{workload}/full} asks the satellite
 * for it (a log-request bundle, answered at its next pass) and says which pass that is; {@code GET} the same path shows
 * the latest request: {@code requested} (with the next pass) or {@code arrived} (with the log). A workload is its
 * tenant's (its App's or its pipeline's); one ground cannot tell the tenant of is the fleet's.
 */
public final class FullLogApi {
    private final FullLogRequests requests;
    private final DesiredState desired;
    private final Passes passes;
    private final Access access;
    private final Clock clock;

    public FullLogApi(FullLogRequests requests, DesiredState desired, Passes passes, Access access, Clock clock) {
        this.requests = requests;
        this.desired = desired;
        this.passes = passes;
        this.access = access;
        this.clock = clock;
    }

    public void register(ApiServer s) {
        String path = "/api/v1/satellites/([^/]+)/logs/([^/]+)/full";
        s.route("POST", path, (ex, m) -> request(ex, sat(m.group(1)), m.group(2)))
                .route("GET", path, (ex, m) -> show(ex, sat(m.group(1)), m.group(2)));
    }

    private String tenantOf(String sat, String workload) {
        return Owners.of(desired, sat).workload(workload);
    }

    private void request(HttpExchange ex, String sat, String workload) throws IOException {
        access.require(ex, Verb.GET, Resource.LOGS, tenantOf(sat, workload), workload);
        Exchange.send(ex, 202, view(requests.request(sat, workload)));
    }

    private void show(HttpExchange ex, String sat, String workload) throws IOException {
        String tenant = tenantOf(sat, workload);
        if (!access.may(ex, Verb.GET, Resource.LOGS, tenant, workload)) throw none(sat, workload);
        Exchange.send(ex, 200, view(requests.latest(sat, workload).orElseThrow(() -> none(sat, workload))));
    }

    private static ApiException none(String sat, String workload) {
        return new ApiException(404, "not_found", "no whole log of " + workload + " requested from " + sat,
                List.of(new FieldError("workload", workload, "no request; POST asks for one")));
    }

    private ObjectNode view(FullLogRequests.Request r) {
        Instant now = clock.instant();
        ObjectNode o = Exchange.JSON.objectNode().put("id", r.id()).put("satellite", r.satellite()).put("workload", r.workload())
                .put("state", r.arrived() ? "arrived" : "requested");
        putInstant(o, "requestedAt", r.requestedAt());
        if (r.arrived()) {
            putInstant(o, "arrivedAt", r.arrivedAt());
            if (r.problem() != null) o.put("problem", r.problem());
            o.put("log", r.log() == null ? "" : r.log());
        } else {
            PassApi.nextPass(passes, r.satellite(), passes.tles(), passes.stations(), now)
                    .ifPresent(p -> o.set("nextPass", PassApi.view(p, now)));
        }
        return o;
    }
}
