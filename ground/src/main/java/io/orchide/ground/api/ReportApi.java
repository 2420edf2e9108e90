package io.orchide.ground.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.report.Reports;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;

import static io.orchide.ground.api.GroundApi.FILTERED_READ;
import static io.orchide.ground.api.GroundApi.putInstant;
import static io.orchide.ground.api.GroundApi.sat;

/**
 * What satellites last reported, per satellite: {@code GET .../workloads}, {@code .../runs}, {@code .../events} and
 * {@code .../logs}, each showing a caller bound to tenants only the records of its tenants' objects.
 */
final class ReportApi {
    private final Reports reports;
    private final DesiredState desired;
    private final Access access;
    private final Clock clock;

    ReportApi(Reports reports, DesiredState desired, Access access, Clock clock) {
        this.reports = reports;
        this.desired = desired;
        this.access = access;
        this.clock = clock;
    }

    void register(ApiServer s, String satellitePath) {
        s.route("GET", satellitePath + "/workloads", (ex, m) -> workloads(ex, sat(m.group(1))))
                .route("GET", satellitePath + "/runs", (ex, m) -> runs(ex, sat(m.group(1))))
                .route("GET", satellitePath + "/events", (ex, m) -> events(ex, sat(m.group(1))))
                .route("GET", satellitePath + "/logs", (ex, m) -> logs(ex, sat(m.group(1))))
                .route("GET", satellitePath + "/devices", (ex, m) -> devices(ex, sat(m.group(1))));
    }

    private void workloads(HttpExchange ex, String sat) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.WORKLOADS);
        Owners owners = scope.fleet() ? null : Owners.of(desired, sat);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Reports.Workload w : reports.workloads(sat)) {
            if (owners != null && !scope.includes(owners.workload(w.name()))) continue;
            ObjectNode n = a.addObject();
            n.put("node", w.node()).put("name", w.name()).put("state", w.state());
            putInstant(n, "since", w.since());
            n.put("restarts", w.restarts());
            if (w.message() != null) n.put("message", w.message());
            putInstant(n, "reportedAt", w.reportedAt());
            n.put("ageSeconds", age(w.reportedAt()));
            putInstant(n, "receivedAt", w.receivedAt());
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat).put("now", clock.instant().toString());
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    /**
     * The devices the satellite's nodes last reported, to whoever may list its workloads: the inventory is shared by
     * every tenant; who holds a lease is shown only to a caller of that tenant (or fleet-wide).
     */
    private void devices(HttpExchange ex, String sat) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.WORKLOADS);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (io.orchide.ground.device.ReportedDevices.Device d : reports.devices(sat)) {
            ObjectNode n = a.addObject();
            n.put("node", d.node()).put("name", d.device().name()).put("class", d.device().deviceClass())
                    .put("state", d.device().state());
            String holder = d.device().leasedBy();
            if (holder != null) n.put("leasedBy", scope.includes(holder.split("/", 2)[0]) ? holder : "(another tenant)");
            ObjectNode desiredProps = n.putObject("desired");
            d.device().desired().forEach(desiredProps::put);
            ObjectNode reported = n.putObject("reported");
            d.device().reported().forEach(reported::put);
            putInstant(n, "reportedAt", d.reportedAt());
            n.put("ageSeconds", age(d.reportedAt()));
            putInstant(n, "receivedAt", d.receivedAt());
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat).put("now", clock.instant().toString());
        o.set("items", a);
        o.set("positions", PositionView.of(List.of(), reports.positions(sat), clock));
        Exchange.send(ex, 200, o);
    }

    private void runs(HttpExchange ex, String sat) throws IOException {
        listing(ex, sat, Resource.RUNS, 100, n -> reports.runs(sat, n), Owners::pipeline, Reports.Run::pipeline,
                (n, r) -> {
                    n.put("name", r.name()).put("node", r.node()).put("pipeline", r.pipeline())
                            .put("state", r.state());
                    putInstant(n, "at", r.at());
                    n.put("ageSeconds", age(r.at()));
                    if (r.message() != null) n.put("message", r.message());
                    putInstant(n, "receivedAt", r.receivedAt());
                });
    }

    private void events(HttpExchange ex, String sat) throws IOException {
        listing(ex, sat, Resource.EVENTS, 100, n -> reports.events(sat, n), Owners::subject, Reports.Event::subject,
                (n, e) -> {
                    n.put("node", e.node());
                    putInstant(n, "at", e.at());
                    n.put("subject", e.subject()).put("message", e.message());
                    putInstant(n, "receivedAt", e.receivedAt());
                });
    }

    private void logs(HttpExchange ex, String sat) throws IOException {
        listing(ex, sat, Resource.LOGS, 50, n -> reports.logs(sat, n), Owners::workload, Reports.Log::workload,
                (n, l) -> {
                    n.put("node", l.node()).put("workload", l.workload());
                    putInstant(n, "at", l.at());
                    ArrayNode lines = n.putArray("lines");
                    l.lines().forEach(lines::add);
                    putInstant(n, "receivedAt", l.receivedAt());
                });
    }

    /**
     * The newest {@code ?limit=} records of one satellite's reports, newest first. A fleet caller's limit is read
     * from the database as it is; a caller bound to tenants reads a wider window and keeps the records whose owner,
     * found from the record's {@code name} by {@code ownerOf}, its scope includes.
     */
    private <R> void listing(HttpExchange ex, String sat, Resource resource, int defaultLimit,
                             IntFunction<List<R>> read, BiFunction<Owners, String, String> ownerOf,
                             Function<R, String> name, BiConsumer<ObjectNode, R> write)
            throws IOException {
        int limit = Exchange.intParam(Exchange.query(ex), "limit", defaultLimit, 1, 10_000);
        Caller.Scope scope = access.listScope(ex, resource);
        Owners owners = scope.fleet() ? null : Owners.of(desired, sat);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (R r : read.apply(owners == null ? limit : FILTERED_READ)) {
            if (owners != null && !scope.includes(ownerOf.apply(owners, name.apply(r)))) continue;
            if (a.size() == limit) break;
            write.accept(a.addObject(), r);
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private long age(Instant t) {
        return GroundApi.age(clock, t);
    }
}
