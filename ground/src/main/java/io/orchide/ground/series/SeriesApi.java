package io.orchide.ground.series;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.desired.DesiredObject;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.model.FieldError;
import io.orchide.model.message.DesiredChange;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The series satellites' housekeeping brought, for the dashboard:
 * {@code GET /api/v1/series?satellite=S&metric=M&from=ISO&to=ISO} (points and gaps; {@code to} defaults to now,
 * {@code from} to a day before {@code to}) and {@code GET /api/v1/series/metrics?satellite=S} (the series names).
 * {@code PUT /api/v1/satellites/S/telemetry-budget {"bytesPerDay": "2Mi/d"}} sets the satellite's housekeeping
 * budget (operators: update on satellites) and sends it up; {@code GET} reads it, with the interval;
 * {@code PUT /api/v1/satellites/S/housekeeping-interval {"interval": "5m"}} sets the width of the satellite's
 * housekeeping intervals the same way.
 * {@code GET /api/v1/satellites/S/log-summaries?limit=N} lists the log summaries housekeeping brought (workloads'
 * consoles and steps' logs: line counts, error lines, first and last line), newest first; a caller bound to tenants
 * sees those of its tenants' objects only.
 * A satellite's series are read by fleet-wide roles and by a tenant with an object (not deleted) on that satellite;
 * to anyone else the satellite has no series (404), so nobody learns where other tenants run.
 */
public final class SeriesApi {
    /** The widest span one query reads. */
    static final Duration MAX_SPAN = Duration.ofDays(31);

    private final SeriesStore store;
    private final DesiredState desired;
    private final Access access;
    private final Clock clock;
    private final TelemetryBudgets budgets;

    public SeriesApi(SeriesStore store, TelemetryBudgets budgets, DesiredState desired, Access access, Clock clock) {
        this.budgets = budgets;
        this.store = store;
        this.desired = desired;
        this.access = access;
        this.clock = clock;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/series", (ex, m) -> series(ex))
                .route("GET", "/api/v1/series/metrics", (ex, m) -> metrics(ex))
                .route("PUT", "/api/v1/satellites/([^/]+)/telemetry-budget", (ex, m) -> setBudget(ex, m.group(1)))
                .route("GET", "/api/v1/satellites/([^/]+)/telemetry-budget", (ex, m) -> getBudget(ex, m.group(1)))
                .route("PUT", "/api/v1/satellites/([^/]+)/housekeeping-interval", (ex, m) -> setInterval(ex, m.group(1)))
                .route("GET", "/api/v1/satellites/([^/]+)/log-summaries", (ex, m) -> logSummaries(ex, m.group(1)));
    }

    private void logSummaries(HttpExchange ex, String sat) throws IOException {
        if (!SatelliteNames.valid(sat)) throw invalid("satellite", sat, SatelliteNames.problem(sat));
        int limit = Exchange.intParam(Exchange.query(ex), "limit", 100, 1, 10_000);
        Caller.Scope scope = access.listScope(ex, Resource.LOGS);
        List<DesiredObject> objects = scope.fleet() ? List.of() : desired.list(sat, false);
        ArrayNode items = Exchange.JSON.arrayNode();
        // a tenant-bound caller's summaries are filtered from a wider window, as the other listings of a satellite
        for (SeriesStore.LogSummary l : store.logSummaries(sat, scope.fleet() ? limit : Math.max(limit, 1_000))) {
            if (items.size() == limit) break;
            if (!scope.fleet() && !ownedByScope(l.subject(), objects, scope)) continue;
            ObjectNode o = items.addObject().put("node", l.node()).put("subject", l.subject())
                    .put("receivedAt", l.receivedAt().toString()).put("lines", l.lines()).put("errorLines", l.errorLines());
            ArrayNode errors = o.putArray("errors");
            l.errors().forEach(errors::add);
            o.put("first", l.first()).put("last", l.last());
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", items);
        Exchange.send(ex, 200, o);
    }

    /**
     * Whether the object a summary is of ({@code workload/NAME}: the App NAME; {@code run/PIPELINE-NNNNNN/...}: that
     * Pipeline) is one of the scope's tenants'.
     */
    static boolean ownedByScope(String subject, List<DesiredObject> objects, Caller.Scope scope) {
        String kind, name;
        if (subject.startsWith("workload/")) {
            kind = DesiredChange.APP;
            name = subject.substring("workload/".length());
        } else if (subject.startsWith("run/")) {
            kind = DesiredChange.PIPELINE;
            String run = subject.substring("run/".length());
            int slash = run.indexOf('/');
            java.util.regex.Matcher m = RUN.matcher(slash < 0 ? run : run.substring(0, slash));
            if (!m.matches()) return false;
            name = m.group(1);
        } else {
            return false;
        }
        for (DesiredObject d : objects) {
            if (d.kind().equals(kind) && d.name().equals(name) && scope.includes(d.tenant())) return true;
        }
        return false;
    }

    /** A run's name: its pipeline's and its number. */
    private static final java.util.regex.Pattern RUN = java.util.regex.Pattern.compile("(.+)-\\d{6}");

    private void setBudget(HttpExchange ex, String sat) throws IOException {
        if (!SatelliteNames.valid(sat)) throw invalid("satellite", sat, SatelliteNames.problem(sat));
        access.require(ex, Verb.UPDATE, Resource.SATELLITES, null, sat);
        JsonNode v = Exchange.jsonBody(ex).path("bytesPerDay");
        long bytes;
        try {
            bytes = TelemetryBudgets.parse(v.isMissingNode() || v.isNull() ? null : v.asText());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid", "invalid telemetry budget",
                    List.of(new FieldError("bytesPerDay", v.isMissingNode() ? null : v.asText(), TelemetryBudgets.SYNTAX)));
        }
        Exchange.send(ex, 200, view(budgets.set(sat, bytes)));
    }

    private void setInterval(HttpExchange ex, String sat) throws IOException {
        if (!SatelliteNames.valid(sat)) throw invalid("satellite", sat, SatelliteNames.problem(sat));
        access.require(ex, Verb.UPDATE, Resource.SATELLITES, null, sat);
        JsonNode v = Exchange.jsonBody(ex).path("interval");
        String text = v.isMissingNode() || v.isNull() ? null : v.asText();
        long seconds;
        try {
            seconds = TelemetryBudgets.parseInterval(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid", "invalid housekeeping interval",
                    List.of(new FieldError("interval", text, TelemetryBudgets.INTERVAL_SYNTAX)));
        }
        Exchange.send(ex, 200, view(budgets.setInterval(sat, seconds)));
    }

    private void getBudget(HttpExchange ex, String sat) throws IOException {
        if (!SatelliteNames.valid(sat)) throw invalid("satellite", sat, SatelliteNames.problem(sat));
        access.require(ex, Verb.GET, Resource.SATELLITES, null, sat);
        TelemetryBudgets.Budget b = budgets.get(sat).orElseThrow(() -> new ApiException(404, "not_found",
                "no telemetry budget set for " + sat + " (its nodes use their default)",
                List.of(new FieldError("satellite", sat, "no budget set"))));
        Exchange.send(ex, 200, view(b));
    }

    private static ObjectNode view(TelemetryBudgets.Budget b) {
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", b.satellite()).put("bytesPerDay", b.bytesPerDay())
                .put("version", b.version()).put("setAt", b.setAt().toString());
        if (b.intervalSeconds() > 0) o.put("intervalSeconds", b.intervalSeconds());
        return o;
    }

    private String readable(HttpExchange ex, Map<String, String> q) {
        String sat = q.get("satellite");
        if (sat == null || sat.isEmpty()) throw invalid("satellite", sat, "required");
        if (!SatelliteNames.valid(sat)) throw invalid("satellite", sat, SatelliteNames.problem(sat));
        Caller.Scope scope = access.listScope(ex, Resource.WORKLOADS);
        if (!scope.fleet()) {
            boolean hasObject = desired.list(sat, false).stream().map(DesiredObject::tenant).anyMatch(scope::includes);
            if (!hasObject) {
                throw new ApiException(404, "not_found", "no series of satellite " + sat,
                        List.of(new FieldError("satellite", sat, "no such satellite among your tenants'")));
            }
        }
        return sat;
    }

    private void metrics(HttpExchange ex) throws IOException {
        String sat = readable(ex, Exchange.query(ex));
        ObjectNode o = Exchange.JSON.objectNode();
        ArrayNode a = o.putArray("metrics");
        store.metrics(sat).forEach(a::add);
        Exchange.send(ex, 200, o);
    }

    private void series(HttpExchange ex) throws IOException {
        Map<String, String> q = Exchange.query(ex);
        String sat = readable(ex, q);
        String metric = q.get("metric");
        if (metric == null || metric.isEmpty()) throw invalid("metric", metric, "required: a name from /api/v1/series/metrics");
        Instant to = instant(q, "to", clock.instant());
        Instant from = instant(q, "from", to.minus(Duration.ofDays(1)));
        if (!from.isBefore(to)) throw invalid("from", q.get("from"), "must be before to (" + to + ")");
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw invalid("from", from.toString(), "at most " + MAX_SPAN.toDays() + " days before to");
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat).put("metric", metric);
        ArrayNode points = o.putArray("points");
        for (SeriesStore.Point p : store.points(sat, metric, from, to)) {
            points.addObject().put("t", p.t().toString()).put("min", p.min()).put("max", p.max())
                    .put("mean", p.mean()).put("last", p.last());
        }
        ArrayNode gaps = o.putArray("gaps");
        for (SeriesStore.Gap g : store.gaps(sat, from, to)) {
            gaps.addObject().put("from", g.from().toString()).put("to", g.to().toString());
        }
        Exchange.send(ex, 200, o);
    }

    private static Instant instant(Map<String, String> q, String name, Instant dflt) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw invalid(name, v, "must be an ISO-8601 instant such as 2026-12-07T10:00:00Z");
        }
    }

    private static ApiException invalid(String field, String value, String why) {
        return new ApiException(400, "invalid", "invalid query parameter", List.of(new FieldError(field, value, why)));
    }
}
