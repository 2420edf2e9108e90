package io.orchide.node.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.model.DeviceGrant;
import io.orchide.model.DeviceGrantSpec;
import io.orchide.model.FieldError;
import io.orchide.model.codec.DeviceGrantWriter;
import io.orchide.node.audit.AuditTrail;
import io.orchide.node.broker.Broker;
import io.orchide.node.broker.GrantStore;
import io.orchide.node.broker.Leases;
import io.orchide.node.device.DeviceTwin;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import io.orchide.model.message.StatusReport;
import io.orchide.node.position.NodePosition;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The node's devices and grants: {@code GET /api/v1/devices} (name, class, state, who holds its lease, the GNSS
 * receiver the node's position comes from marked {@code positionSource}; and the node's {@code position}: its source,
 * the fix it gives now with the fix's age, or why there is none),
 * {@code GET /api/v1/devices/NAME} (properties desired, reported and pending, the grants on it with their use, the
 * lease and who waits), {@code GET /api/v1/devicegrants} and {@code DELETE /api/v1/devicegrants/NAME}. Grants are
 * applied as manifests ({@code POST /api/v1/apply}).
 */
public final class DeviceApi {
    private static final String NAME = "([a-z0-9][-a-z0-9]*)";

    private final Broker broker;
    private final GrantStore grants;
    private final AuditTrail audit;
    private final Runnable grantsChanged;
    private final NodePosition position; // null: none
    private final Clock clock;
    private final java.util.function.Function<String, java.util.Optional<String>> heldBy;

    /** {@code grantsChanged} is told after a grant is deleted here (the broker's sockets follow the grants). */
    public DeviceApi(Broker broker, GrantStore grants, AuditTrail audit, Runnable grantsChanged) {
        this(broker, grants, audit, grantsChanged, name -> java.util.Optional.empty(), null, Clock.systemUTC());
    }

    /**
     * With {@code heldBy}: the workload or step that holds an accelerator, shown as the one leasing it; and the
     * node's {@code position} (null: none), shown as the list's {@code position} at the instant {@code clock} says.
     */
    public DeviceApi(Broker broker, GrantStore grants, AuditTrail audit, Runnable grantsChanged,
                     java.util.function.Function<String, java.util.Optional<String>> heldBy, NodePosition position,
                     Clock clock) {
        this.heldBy = heldBy;
        this.position = position;
        this.clock = clock;
        this.grantsChanged = grantsChanged;
        this.broker = broker;
        this.grants = grants;
        this.audit = audit;
    }

    public void register(ApiServer s) {
        s.route("GET", "/api/v1/devices", (ex, m) -> list(ex))
                .route("GET", "/api/v1/devices/" + NAME, (ex, m) -> describe(ex, m.group(1)))
                .route("GET", "/api/v1/devicegrants", (ex, m) -> grants(ex))
                .route("DELETE", "/api/v1/devicegrants/" + NAME, (ex, m) -> deleteGrant(ex, m.group(1)));
    }

    private void list(HttpExchange ex) throws IOException {
        ArrayNode a = Exchange.JSON.arrayNode();
        for (DeviceTwin.View v : broker.twin().list()) a.add(summary(v));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        o.set("position", position());
        Exchange.send(ex, 200, o);
    }

    /** The node's position now: its source, and the fix with its age or why there is none. */
    private ObjectNode position() {
        Instant now = clock.instant();
        StatusReport.Position p = position == null ? new StatusReport.Position("none", null, NodePosition.NO_SOURCE)
                : position.report(now);
        ObjectNode o = Exchange.JSON.objectNode().put("source", p.source());
        if (position != null) position.gnss().ifPresent(g -> o.put("device", g));
        StatusReport.Position.Fix f = p.fix();
        if (f == null) {
            o.put("reason", p.reason());
        } else {
            o.putObject("fix").put("from", f.from()).put("time", f.time().toString())
                    .put("ageSeconds", Math.max(0, Duration.between(f.time(), now).toSeconds()))
                    .put("latitudeDeg", f.latitudeDeg()).put("longitudeDeg", f.longitudeDeg())
                    .put("altitudeM", f.altitudeM());
        }
        return o;
    }

    private ObjectNode summary(DeviceTwin.View v) {
        ObjectNode n = Exchange.JSON.objectNode();
        n.put("name", v.name()).put("class", v.device().deviceClass().toString()).put("state", v.state())
                .put("source", v.device().source().toString());
        if (v.device().path() != null) n.put("path", v.device().path());
        if (position != null && position.gnss().filter(v.name()::equals).isPresent()) n.put("positionSource", true);
        broker.leases().holder(v.name()).map(l -> l.holder()).or(() -> heldBy.apply(v.name()))
                .ifPresent(h -> n.put("leasedBy", h));
        return n;
    }

    private void describe(HttpExchange ex, String name) throws IOException {
        DeviceTwin.View v = broker.twin().get(name).orElseThrow(() -> new ApiException(404, "not_found",
                "no device " + name + " on this node", List.of(new FieldError("name", name, "no such device"))));
        ObjectNode n = summary(v);
        putAll(n.putObject("desired"), v.desired());
        putAll(n.putObject("reported"), v.reported());
        putAll(n.putObject("pending"), v.pending());
        ArrayNode g = n.putArray("grants");
        for (DeviceGrant grant : grants.forDevice(name)) {
            ObjectNode gn = grantView(grant);
            Broker.Usage u = broker.usage(grant.name());
            gn.putObject("use").put("thisOrbit", u.thisOrbit()).put("today", u.today());
            g.add(gn);
        }
        broker.leases().holder(name).ifPresent(l -> n.putObject("lease").put("holder", l.holder())
                .put("priority", l.priority()).put("since", l.since().toString()));
        ArrayNode w = n.putArray("waiting");
        for (Leases.Waiter waiter : broker.leases().waiters(name)) {
            w.addObject().put("holder", waiter.holder()).put("priority", waiter.priority());
        }
        Exchange.send(ex, 200, n);
    }

    private static void putAll(ObjectNode o, java.util.Map<String, String> m) {
        m.forEach(o::put);
    }

    private static ObjectNode grantView(DeviceGrant grant) {
        ObjectNode gn = Exchange.JSON.objectNode();
        gn.put("name", grant.name()).put("tenant", grant.metadata().tenant());
        gn.setAll((ObjectNode) DeviceGrantWriter.tree(grant).get("spec"));
        return gn;
    }

    private void grants(HttpExchange ex) throws IOException {
        ArrayNode a = Exchange.JSON.arrayNode();
        for (DeviceGrant g : grants.list()) a.add(grantView(g));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void deleteGrant(HttpExchange ex, String name) throws IOException {
        DeviceGrant g = grants.get(name).orElseThrow(() -> new ApiException(404, "not_found",
                "no device grant " + name + " on this node", List.of(new FieldError("name", name, "no such grant"))));
        grants.delete(name);
        grantsChanged.run();
        if (audit != null) {
            audit.record(new AuditTrail.Change(AuditTrail.LOCAL, AuditTrail.DELETE, DeviceGrant.KIND, name,
                    g.metadata().tenant(), null, io.orchide.model.message.StatusReport.Audit.APPLIED, "deleted"));
        }
        Exchange.send(ex, 200, Exchange.JSON.objectNode().put("kind", DeviceGrant.KIND).put("name", name)
                .put("result", "deleted"));
    }

    static String verbs(DeviceGrantSpec s) {
        return String.join(",", s.verbs().stream().map(Object::toString).sorted().toList());
    }
}
