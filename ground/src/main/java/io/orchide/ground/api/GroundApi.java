package io.orchide.ground.api;

import io.orchide.model.Manifest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.ApiTokens;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.desired.ApplyOutcome;
import io.orchide.ground.desired.NameTaken;
import io.orchide.model.App;
import io.orchide.model.Metadata;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;

import io.orchide.ground.desired.DesiredObject;
import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.image.Images;
import io.orchide.ground.fleet.NodeRecord;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.ground.fleet.SatelliteRecord;
import io.orchide.ground.link.Uplink;
import io.orchide.ground.product.ProductRecord;
import io.orchide.ground.product.Products;
import io.orchide.ground.report.Reports;
import io.orchide.ground.store.DatabaseUnavailable;
import io.orchide.link.LinkStats;
import io.orchide.link.store.StoreUnavailableException;
import io.orchide.model.FieldError;
import io.orchide.model.ManifestException;
import io.orchide.model.Manifests;
import io.orchide.model.Names;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.DesiredChange;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ground's REST API under {@code /api/v1}: the fleet, each satellite's desired and last-known actual state, products,
 * and the link. Stateless: every request reads the database, so replicas on one PostgreSQL serve the same answers.
 */
public final class GroundApi {
    private static final String SEG = "([^/]+)";
    private static final String SAT = "/api/v1/satellites/" + SEG;

    private final Fleet fleet;
    private final DesiredState desired;
    private final Reports reports;
    private final Products products;
    private final Uplink uplink;
    private final ImageApi images;
    private final Clock clock;
    private final String version;
    private final java.util.function.Supplier<HealthReport> health;
    private final Access access;
    private final AuthApi auth;

    /**
     * With {@code health} asked (afresh) by {@code /api/v1/health} and {@code /api/v1/ready}, and {@code access}
     * deciding who may do what (its gate must be the server's).
     */
    public GroundApi(Fleet fleet, DesiredState desired, Reports reports, Products products, Uplink uplink, Images images, Clock clock,
                     String version, java.util.function.Supplier<HealthReport> health, Access access, AuthStore authStore,
                     ApiTokens tokens) {
        this.health = health;
        this.fleet = fleet;
        this.desired = desired;
        this.reports = reports;
        this.products = products;
        this.uplink = uplink;
        this.access = access;
        this.images = new ImageApi(images, access, authStore, clock);
        this.auth = new AuthApi(access, authStore, tokens, clock);
        this.clock = clock;
        this.version = version;
    }

    /**
     * How many records a list reads to fill a page of a caller that sees part of them (the rest are other tenants'):
     * the bounded reports' size, so that a page is as full as a fleet-wide caller's would be.
     */
    private static final int FILTERED_READ = 10_000;

    /** Seconds a client is asked to wait ({@code Retry-After}) while the database is unavailable. */
    public static final long RETRY_AFTER_OUTAGE_SECONDS = 5;

    public void register(ApiServer s) {
        s.translate(GroundApi::outage);
        images.register(s, SAT);
        auth.register(s);
        s.route("GET", "/api/v1/health", (ex, m) -> health(ex, false))
                .route("GET", "/api/v1/ready", (ex, m) -> health(ex, true))
                .route("GET", "/api/v1/openapi.json", (ex, m) -> openapi(ex))
                .route("GET", "/api/v1/satellites", (ex, m) -> satellites(ex))
                .route("GET", SAT, (ex, m) -> satellite(ex, sat(m.group(1))))
                .route("POST", SAT + "/apply", (ex, m) -> apply(ex, sat(m.group(1))))
                .route("GET", SAT + "/desired", (ex, m) -> desired(ex, sat(m.group(1))))
                .route("DELETE", SAT + "/apps/" + SEG, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.APP, m.group(2)))
                .route("DELETE", SAT + "/pipelines/" + SEG, (ex, m) -> delete(ex, sat(m.group(1)), DesiredChange.PIPELINE, m.group(2)))
                .route("GET", SAT + "/workloads", (ex, m) -> workloads(ex, sat(m.group(1))))
                .route("GET", SAT + "/runs", (ex, m) -> runs(ex, sat(m.group(1))))
                .route("GET", SAT + "/events", (ex, m) -> events(ex, sat(m.group(1))))
                .route("POST", SAT + "/events", (ex, m) -> postEvent(ex, sat(m.group(1))))
                .route("GET", SAT + "/logs", (ex, m) -> logs(ex, sat(m.group(1))))
                .route("GET", "/api/v1/products", (ex, m) -> products(ex))
                .route("GET", "/api/v1/products/" + SEG, (ex, m) -> product(ex, productId(m.group(1))))
                .route("GET", "/api/v1/products/" + SEG + "/content", (ex, m) -> content(ex, productId(m.group(1))))
                .route("GET", "/api/v1/link", (ex, m) -> link(ex))
                .route("POST", "/api/v1/link", (ex, m) -> linkControl(ex));
    }

    /**
     * Liveness ({@code /health}: 200 as long as the process answers) and readiness ({@code /ready}: 200 when this
     * replica can serve, 503 when it is starting or its database is unavailable, so that a load balancer takes it
     * out), with the same body: the database's state and since when, and why it is not ready.
     */
    private void health(HttpExchange ex, boolean readiness) throws IOException {
        HealthReport h = health.get();
        ObjectNode o = Exchange.JSON.objectNode()
                .put("status", h.ready() ? "ok" : h.databaseAvailable() ? "starting" : "database_unavailable")
                .put("ready", h.ready()).put("version", version).put("time", clock.instant().toString());
        if (h.reason() != null) o.put("reason", h.reason());
        if (h.database() != null) {
            ObjectNode d = o.putObject("database");
            d.put("name", h.database()).put("state", h.databaseAvailable() ? "up" : "down");
            putInstant(d, "since", h.databaseSince());
        }
        if (readiness && !h.ready()) ex.getResponseHeaders().set("Retry-After", Long.toString(RETRY_AFTER_OUTAGE_SECONDS));
        Exchange.send(ex, readiness && !h.ready() ? 503 : 200, o);
    }

    private void openapi(HttpExchange ex) throws IOException {
        byte[] b;
        try (InputStream in = GroundApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) throw new ApiException(500, "internal", "openapi.json missing from the build");
            b = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    // ---- fleet

    private void satellites(HttpExchange ex) throws IOException {
        access.listScope(ex, Resource.SATELLITES);
        Map<String, LinkStats> stats = new HashMap<>();
        for (LinkStats s : linkPeers()) stats.put(s.peer(), s);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (SatelliteRecord r : fleet.list(false)) a.add(satelliteView(r, stats.get(r.name()), false));
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void satellite(HttpExchange ex, String sat) throws IOException {
        access.require(ex, Verb.GET, Resource.SATELLITES, null, sat);
        SatelliteRecord r = fleet.get(sat).orElseThrow(() -> noSatellite(sat));
        Exchange.send(ex, 200, satelliteView(r, linkStats(sat), true));
    }

    private ObjectNode satelliteView(SatelliteRecord r, LinkStats link, boolean detail) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("name", r.name());
        if (detail) {
            ArrayNode nodes = o.putArray("nodes");
            for (NodeRecord n : r.nodes()) nodes.add(nodeView(n));
        } else {
            ArrayNode nodes = o.putArray("nodes");
            r.nodes().forEach(n -> nodes.add(n.name()));
        }
        // while a session is up the satellite is in contact now: the time stored at the session's start is no
        // "last contact" then; once it ended, the later of the stored end and this process's link's is
        boolean connected = link != null && link.connected();
        o.put("connected", connected);
        Instant last = connected ? clock.instant() : latest(r.lastContact(), link == null ? null : link.lastContact());
        if (connected) {
            putInstant(o, "connectedSince", link.connectedSince());
            o.put("connectedSeconds", age(link.connectedSince()));
        }
        putInstant(o, "lastContact", last);
        if (last != null) o.put("contactAgeSeconds", age(last));
        ObjectNode up = o.putObject("uplinkQueue");
        if (link == null) {
            up.put("bundles", 0).put("bytes", 0);
        } else {
            up.put("bundles", link.queuedBundles()).put("bytes", link.queuedBytes());
            if (detail) up.put("connected", link.connected());
        }
        ObjectNode down = o.putObject("downlinkQueue");
        if (r.downlinkAsOf() == null) {
            down.putNull("bundles").putNull("bytes").putNull("asOf");
        } else {
            // the node's count when its last session began, not now: it drains while the session lasts
            down.put("bundles", r.downlinkBundles()).put("bytes", r.downlinkBytes()).put("asOf", r.downlinkAsOf().toString())
                    .put("ageSeconds", age(r.downlinkAsOf()));
        }
        if (detail) putInstant(o, "created", r.created());
        return o;
    }

    private static ObjectNode nodeView(NodeRecord n) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("name", n.name()).put("arch", n.arch()).put("vcpus", n.cores()).put("memoryMib", n.memoryMib());
        ArrayNode m = o.putArray("monitors");
        n.monitors().forEach(m::add);
        o.set("accelerators", jsonOr(n.accelerators()));
        o.set("devices", jsonOr(n.devices()));
        o.put("version", n.version());
        putInstant(o, "firstSeen", n.firstSeen());
        putInstant(o, "lastSeen", n.lastSeen());
        return o;
    }

    // ---- desired state

    private void apply(HttpExchange ex, String sat) throws IOException {
        String text = Exchange.body(ex);
        if (text.isBlank()) {
            throw invalid("body", null, "must hold one or more App or Pipeline manifests (YAML or JSON)");
        }
        List<Manifest> docs;
        try {
            docs = Manifests.parseAll(text, null);
        } catch (ManifestException e) {
            List<FieldError> errs = e.errors();
            throw new ApiException(400, "invalid", "manifest rejected: " + errs.size() + " error(s); nothing applied", errs);
        }
        docs = authorise(ex, sat, docs);
        images.uplinkFor(ex, sat, docs); // before the change: the satellite gets an App's image ahead of the App
        List<ApplyOutcome> outcomes;
        try {
            outcomes = desired.apply(sat, docs);
        } catch (NameTaken e) {
            throw nameTaken(Access.caller(ex), sat, e.kind(), e.name(), e.tenant());
        }
        if (outcomes.isEmpty()) throw invalid("body", null, "holds no manifest");
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        ArrayNode a = o.putArray("items");
        boolean created = false;
        for (ApplyOutcome r : outcomes) {
            a.add(outcomeView(r));
            created |= r.result().equals(ApplyOutcome.CREATED);
        }
        Exchange.send(ex, created ? 201 : 200, o);
    }

    /**
     * The documents with the caller's tenant where they name none (or {@code default}, which is what none reads as)
     * and the caller is bound to one tenant, each checked: the caller may create it in its tenant, its name is not
     * another tenant's on this satellite, and a pipeline's steps name none of another tenant's Apps.
     */
    private List<Manifest> authorise(HttpExchange ex, String sat, List<Manifest> docs) {
        Caller c = Access.caller(ex);
        String only = c.onlyTenant();
        Owners owners = Owners.of(desired, sat);
        List<Manifest> out = new java.util.ArrayList<>();
        Map<String, String> batchApps = new HashMap<>();
        for (Manifest m : docs) {
            if (only != null && m.metadata().tenant().equals(Metadata.DEFAULT_TENANT) && !only.equals(Metadata.DEFAULT_TENANT)) {
                m = withTenant(m, only);
            }
            out.add(m);
            if (m instanceof App) batchApps.put(m.name(), m.metadata().tenant());
        }
        for (Manifest m : out) {
            String tenant = m.metadata().tenant();
            access.require(ex, Verb.CREATE, m instanceof App ? Resource.APPS : Resource.PIPELINES, tenant, m.name());
            String owner = owners.of(m.kind(), m.name());
            if (owner != null && !owner.equals(tenant)) throw nameTaken(c, sat, m.kind(), m.name(), tenant);
            if (m instanceof Pipeline p) {
                List<Step> steps = p.spec().steps();
                for (int i = 0; i < steps.size(); i++) {
                    String app = steps.get(i).app();
                    if (app == null) continue;
                    String appOwner = batchApps.containsKey(app) ? batchApps.get(app) : owners.app(app);
                    if (appOwner != null && !appOwner.equals(tenant)) {
                        String f = "spec.steps[" + i + "].app";
                        throw new ApiException(403, "forbidden", "Pipeline " + p.name() + " of tenant " + tenant
                                + " may run only its own tenant's Apps", List.of(new FieldError(f, app,
                                "is not an App of tenant " + tenant + " on " + sat)));
                    }
                }
            }
        }
        return out;
    }

    private static Manifest withTenant(Manifest m, String tenant) {
        Metadata md = new Metadata(m.metadata().name(), tenant, m.metadata().labels());
        return switch (m) {
            case App a -> new App(md, a.spec());
            case Pipeline p -> new Pipeline(md, p.spec());
        };
    }

    /** The name is another tenant's: said without naming that tenant or anything else of its objects. */
    private static ApiException nameTaken(Caller c, String sat, String kind, String name, String tenant) {
        return new ApiException(403, "forbidden", kind + " name " + name + " on " + sat + " is not available to tenant "
                + tenant + " (names are shared by all tenants of a satellite); choose another name",
                List.of(new FieldError("metadata.name", name, "is not available to tenant " + tenant)));
    }

    private static ObjectNode outcomeView(ApplyOutcome r) {
        return Exchange.JSON.objectNode().put("kind", r.kind()).put("name", r.name()).put("result", r.result())
                .put("generation", r.generation()).put("bundle", r.bundleId());
    }

    private void delete(HttpExchange ex, String sat, String kind, String name) throws IOException {
        checkName(kind.equals(DesiredChange.APP) ? "app" : "pipeline", name);
        Resource res = kind.equals(DesiredChange.APP) ? Resource.APPS : Resource.PIPELINES;
        ApiException missing = new ApiException(404, "not_found", "no " + kind + " " + name + " in the desired state of " + sat,
                List.of(new FieldError("metadata.name", name, "no such " + kind)));
        String owner = Owners.of(desired, sat).of(kind, name);
        // another tenant's object is answered as a missing one: nobody learns what others run
        if (owner == null) throw missing;
        Caller caller = Access.caller(ex);
        if (!caller.allows(Verb.GET, res, owner)) {
            access.decided(ex, caller, Verb.DELETE, res, owner, name, false); // the audit log names what was tried
            throw missing;
        }
        access.require(ex, Verb.DELETE, res, owner, name);
        ApplyOutcome r = desired.delete(sat, kind, name).orElseThrow(() -> missing);
        Exchange.send(ex, 200, outcomeView(r).put("satellite", sat));
    }

    private void desired(HttpExchange ex, String sat) throws IOException {
        var q = Exchange.query(ex);
        boolean all = "true".equals(q.get("deleted"));
        Caller.Scope apps = access.listScope(ex, Resource.APPS);
        Caller.Scope pipelines = Access.caller(ex).scope(Verb.LIST, Resource.PIPELINES);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (DesiredObject d : desired.list(sat, all)) {
            if (!(d.kind().equals(DesiredChange.APP) ? apps : pipelines).includes(d.tenant())) continue;
            ObjectNode n = a.addObject();
            n.put("kind", d.kind()).put("name", d.name()).put("tenant", d.tenant()).put("generation", d.generation());
            if (d.deleted()) n.put("deleted", true);
            putInstant(n, "updated", d.updated());
            n.put("bundle", d.bundleId()).put("queued", d.queued());
            if (d.manifest() != null) n.set("manifest", jsonOr(d.manifest()));
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    // ---- actual state

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

    private void runs(HttpExchange ex, String sat) throws IOException {
        int limit = Exchange.intParam(Exchange.query(ex), "limit", 100, 1, 10_000);
        Caller.Scope scope = access.listScope(ex, Resource.RUNS);
        Owners owners = scope.fleet() ? null : Owners.of(desired, sat);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Reports.Run r : reports.runs(sat, owners == null ? limit : FILTERED_READ)) {
            if (owners != null && !scope.includes(owners.pipeline(r.pipeline()))) continue;
            if (a.size() == limit) break;
            ObjectNode n = a.addObject();
            n.put("name", r.name()).put("node", r.node()).put("pipeline", r.pipeline()).put("state", r.state());
            putInstant(n, "at", r.at());
            n.put("ageSeconds", age(r.at()));
            if (r.message() != null) n.put("message", r.message());
            putInstant(n, "receivedAt", r.receivedAt());
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void events(HttpExchange ex, String sat) throws IOException {
        int limit = Exchange.intParam(Exchange.query(ex), "limit", 100, 1, 10_000);
        Caller.Scope scope = access.listScope(ex, Resource.EVENTS);
        Owners owners = scope.fleet() ? null : Owners.of(desired, sat);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Reports.Event e : reports.events(sat, owners == null ? limit : FILTERED_READ)) {
            if (owners != null && !scope.includes(owners.subject(e.subject()))) continue;
            if (a.size() == limit) break;
            ObjectNode n = a.addObject();
            n.put("node", e.node());
            putInstant(n, "at", e.at());
            n.put("subject", e.subject()).put("message", e.message());
            putInstant(n, "receivedAt", e.receivedAt());
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void logs(HttpExchange ex, String sat) throws IOException {
        int limit = Exchange.intParam(Exchange.query(ex), "limit", 50, 1, 10_000);
        Caller.Scope scope = access.listScope(ex, Resource.LOGS);
        Owners owners = scope.fleet() ? null : Owners.of(desired, sat);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Reports.Log l : reports.logs(sat, owners == null ? limit : FILTERED_READ)) {
            if (owners != null && !scope.includes(owners.workload(l.workload()))) continue;
            if (a.size() == limit) break;
            ObjectNode n = a.addObject();
            n.put("node", l.node()).put("workload", l.workload());
            putInstant(n, "at", l.at());
            ArrayNode lines = n.putArray("lines");
            l.lines().forEach(lines::add);
            putInstant(n, "receivedAt", l.receivedAt());
        }
        ObjectNode o = Exchange.JSON.objectNode().put("satellite", sat);
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void postEvent(HttpExchange ex, String sat) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode n = body.path("name");
        if (!n.isTextual() || Names.dnsLabelProblem(n.asText()) != null) {
            throw invalid("name", n.isMissingNode() ? null : n.toString(), "must be an event name (a DNS-1123 label)");
        }
        // an event reaches every onEvent trigger of the satellite: raising one is allowed in the caller's tenant
        JsonNode t = body.path("tenant");
        String tenant = t.isTextual() ? t.asText() : Access.caller(ex).onlyTenant();
        access.require(ex, Verb.CREATE, Resource.EVENTS, tenant, n.asText());
        String bundle = desired.event(sat, n.asText());
        Exchange.send(ex, 202, Exchange.JSON.objectNode().put("satellite", sat).put("event", n.asText())
                .put("bundle", bundle));
    }

    // ---- products

    private void products(HttpExchange ex) throws IOException {
        var q = Exchange.query(ex);
        String sat = q.get("satellite");
        if (sat != null && sat.isEmpty()) sat = null;
        if (sat != null) sat = sat(sat);
        String run = q.get("run");
        if (run != null && run.isEmpty()) run = null;
        int limit = Exchange.intParam(q, "limit", 100, 1, 10_000);
        Caller.Scope scope = access.listScope(ex, Resource.PRODUCTS);
        Map<String, Owners> owners = new HashMap<>();
        ArrayNode a = Exchange.JSON.arrayNode();
        for (ProductRecord p : products.list(sat, run, scope.fleet() ? limit : FILTERED_READ)) {
            if (!scope.fleet() && !scope.includes(owner(p, owners))) continue;
            if (a.size() == limit) break;
            a.add(productView(p));
        }
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        Exchange.send(ex, 200, o);
    }

    private void product(HttpExchange ex, long id) throws IOException {
        Exchange.send(ex, 200, productView(found(ex, id)));
    }

    private void content(HttpExchange ex, long id) throws IOException {
        ProductRecord p = found(ex, id);
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + p.name().replace("\"", "") + "\"");
        ex.getResponseHeaders().set("Digest", "sha-256=" + p.sha256());
        ex.sendResponseHeaders(200, p.size() == 0 ? -1 : p.size());
        try (OutputStream out = ex.getResponseBody()) {
            products.copyContent(id, out);
        }
    }

    /** Product {@code id} if the caller may read it; another tenant's is answered as a missing one. */
    private ProductRecord found(HttpExchange ex, long id) {
        ApiException missing = new ApiException(404, "not_found", "no product " + id,
                List.of(new FieldError("id", Long.toString(id), "no such product")));
        ProductRecord p = products.get(id).orElseThrow(() -> missing);
        if (!access.may(ex, Verb.GET, Resource.PRODUCTS, owner(p, new HashMap<>()), Long.toString(id))) throw missing;
        return p;
    }

    /** The tenant of a product: its pipeline's (from its lineage) on its satellite; null when nothing says. */
    private String owner(ProductRecord p, Map<String, Owners> bySatellite) {
        if (p.lineage() == null) return null;
        JsonNode pipeline;
        try {
            // only the pipeline is needed: read leniently, whatever else a node of another version put there
            pipeline = Trees.readJson(p.lineage().getBytes(java.nio.charset.StandardCharsets.UTF_8)).path("pipeline");
        } catch (IOException e) {
            return null;
        }
        if (!pipeline.isTextual()) return null;
        return bySatellite.computeIfAbsent(p.satellite(), s -> Owners.of(desired, s)).pipeline(pipeline.asText());
    }

    private ObjectNode productView(ProductRecord p) {
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("id", p.id()).put("satellite", p.satellite()).put("nodeProductId", p.nodeProductId())
                .put("run", p.run()).put("step", p.step());
        if (p.item() != null) o.put("item", p.item());
        o.put("name", p.name()).put("size", p.size()).put("sha256", p.sha256()).put("priority", p.priority());
        putInstant(o, "created", p.created());
        putInstant(o, "expires", p.expires());
        putInstant(o, "received", p.received());
        o.set("lineage", p.lineage() == null ? Exchange.JSON.nullNode() : jsonOr(p.lineage()));
        o.put("bundle", p.bundleId());
        o.put("content", "/api/v1/products/" + p.id() + "/content");
        return o;
    }

    // ---- link

    private void link(HttpExchange ex) throws IOException {
        access.require(ex, Verb.GET, Resource.LINK, null, null);
        ObjectNode o = Exchange.JSON.objectNode();
        try {
            o.put("contactOpen", uplink.contactOpen());
        } catch (UnsupportedOperationException e) {
            o.putNull("contactOpen");
        }
        ArrayNode a = o.putArray("peers");
        for (LinkStats s : linkPeers()) {
            ObjectNode n = a.addObject();
            n.put("peer", s.peer()).put("connected", s.connected()).put("queuedBundles", s.queuedBundles())
                    .put("queuedBytes", s.queuedBytes()).put("partialIncoming", s.partialIncoming())
                    .put("bytesSent", s.bytesSent()).put("bytesReceived", s.bytesReceived())
                    .put("bundlesSent", s.bundlesSent()).put("bundlesReceived", s.bundlesReceived());
            putInstant(n, "lastContact", s.lastContact());
            putInstant(n, "connectedSince", s.connectedSince());
            if (s.lastSessionEnd() != null) n.put("lastSessionEnd", s.lastSessionEnd());
        }
        Exchange.send(ex, 200, o);
    }

    private void linkControl(HttpExchange ex) throws IOException {
        access.require(ex, Verb.UPDATE, Resource.LINK, null, null);
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode open = body.path("open");
        if (!open.isBoolean()) throw invalid("open", open.isMissingNode() ? null : open.toString(), "must be true or false");
        if (open.asBoolean()) uplink.openContact();
        else uplink.closeContact();
        link(ex);
    }

    private List<LinkStats> linkPeers() {
        try {
            return uplink.peers();
        } catch (UnsupportedOperationException e) {
            return List.of();
        }
    }

    private LinkStats linkStats(String sat) {
        try {
            return uplink.stats(sat);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    // ---- helpers

    private static Instant latest(Instant a, Instant b) {
        if (a == null) return b;
        return b == null || a.isAfter(b) ? a : b;
    }

    /**
     * A request that failed because the database (ground's stores or the link's, on the same database) cannot be
     * reached: 503 {@code database_unavailable} with a {@code Retry-After}, not a 500 that reads like a bug. Nothing
     * was half-applied: the client asks again.
     */
    static ApiException outage(Exception e) {
        if (!(e instanceof DatabaseUnavailable) && !StoreUnavailableException.isCause(e)) return null;
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return new ApiException(503, "database_unavailable", "ground's database is unavailable (" + root.getMessage()
                + "); try again in a few seconds", List.of(), RETRY_AFTER_OUTAGE_SECONDS, e);
    }

    private long age(Instant t) {
        return t == null ? 0 : Math.max(0, Duration.between(t, clock.instant()).toSeconds());
    }

    static void putInstant(ObjectNode o, String f, Instant t) {
        if (t == null) o.putNull(f);
        else o.put(f, t.toString());
    }

    private static JsonNode jsonOr(String text) {
        try {
            return Trees.readJson(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Exchange.JSON.textNode(text);
        }
    }

    static String sat(String s) {
        if (!SatelliteNames.valid(s)) throw invalid("satellite", s, SatelliteNames.problem(s));
        return s;
    }

    private static void checkName(String field, String s) {
        String p = Names.dnsLabelProblem(s);
        if (p != null) throw invalid(field, s, p);
    }

    private static long productId(String s) {
        try {
            long id = Long.parseLong(s);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // below
        }
        throw invalid("id", s, "must be a product id (a positive integer)");
    }

    private static ApiException noSatellite(String sat) {
        return new ApiException(404, "not_found", "no satellite " + sat,
                List.of(new FieldError("satellite", sat, "no such satellite")));
    }

    static ApiException invalid(String field, String value, String message) {
        return new ApiException(400, "invalid", field + ": " + message, List.of(new FieldError(field, value, message)));
    }

}
