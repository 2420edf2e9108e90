package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.ApiTokens;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Verb;

import io.orchide.ground.desired.DesiredState;
import io.orchide.ground.fleet.Fleet;
import io.orchide.ground.image.Images;
import io.orchide.ground.fleet.NodeRecord;
import io.orchide.ground.fleet.SatelliteNames;
import io.orchide.ground.fleet.SatelliteRecord;
import io.orchide.ground.link.Uplink;
import io.orchide.ground.pass.DeliveryEstimate;
import io.orchide.ground.pass.Pass;
import io.orchide.ground.pass.Passes;
import io.orchide.ground.product.Products;
import io.orchide.ground.quota.Quotas;
import io.orchide.ground.report.Reports;
import io.orchide.ground.store.DatabaseUnavailable;
import io.orchide.link.LinkStats;
import io.orchide.link.store.StoreUnavailableException;
import io.orchide.model.FieldError;
import io.orchide.model.codec.Trees;
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
 * Ground's REST API under {@code /api/v1}: health, the OpenAPI document, the fleet and the link here; each satellite's
 * desired state ({@link DesiredApi}), what it reported ({@link ReportApi}), products ({@link ProductApi}), images
 * ({@link ImageApi}), tenants and quotas ({@link TenantApi}), stations, TLEs and passes ({@link PassApi}) and access
 * control ({@link AuthApi}) in their own
 * classes. Stateless: every request reads the database, so replicas on one PostgreSQL serve the same answers.
 */
public final class GroundApi {
    private static final String SEG = "([^/]+)";
    private static final String SAT = "/api/v1/satellites/" + SEG;

    private final Fleet fleet;
    private final Uplink uplink;
    private final ImageApi images;
    private final Clock clock;
    private final String version;
    private final java.util.function.Supplier<HealthReport> health;
    private final Access access;
    private final AuthApi auth;
    private final TenantApi tenants;
    private final DesiredApi desiredApi;
    private final ReportApi reportApi;
    private final ProductApi productApi;
    private final Passes passes;
    private final PassApi passApi;
    private final DeliveryEstimate deliveries;
    private final Reports reports;

    /**
     * With {@code health} asked (afresh) by {@code /api/v1/health} and {@code /api/v1/ready}, and {@code access}
     * deciding who may do what (its gate must be the server's).
     */
    public GroundApi(Fleet fleet, DesiredState desired, Reports reports, Products products, Uplink uplink, Images images, Clock clock,
                     String version, java.util.function.Supplier<HealthReport> health, Access access, AuthStore authStore,
                     ApiTokens tokens, Quotas quotas, Passes passes) {
        this.health = health;
        this.fleet = fleet;
        this.uplink = uplink;
        this.access = access;
        this.images = new ImageApi(images, access, authStore, quotas);
        this.auth = new AuthApi(access, authStore, tokens, clock);
        this.tenants = new TenantApi(access, authStore, quotas, desired::quotaChanged, clock);
        this.desiredApi = new DesiredApi(desired, this.images, access, quotas, this::delivery);
        this.reportApi = new ReportApi(reports, desired, access, clock);
        this.reports = reports;
        this.productApi = new ProductApi(products, desired, access);
        this.passes = passes;
        this.passApi = new PassApi(passes, access, clock);
        this.deliveries = new DeliveryEstimate(passes, clock);
        this.clock = clock;
        this.version = version;
    }

    /**
     * How many records a list reads to fill a page of a caller that sees part of them (the rest are other tenants'):
     * the bounded reports' size, so that a page is as full as a fleet-wide caller's would be.
     */
    static final int FILTERED_READ = 10_000;

    /** Seconds a client is asked to wait ({@code Retry-After}) while the database is unavailable. */
    public static final long RETRY_AFTER_OUTAGE_SECONDS = 5;

    public void register(ApiServer s) {
        s.translate(GroundApi::outage);
        images.register(s, SAT);
        auth.register(s);
        tenants.register(s);
        desiredApi.register(s, SAT, SEG);
        reportApi.register(s, SAT);
        productApi.register(s, SEG);
        passApi.register(s, SAT, SEG);
        s.route("GET", "/api/v1/health", (ex, m) -> health(ex, false))
                .route("GET", "/api/v1/ready", (ex, m) -> health(ex, true))
                .route("GET", "/api/v1/openapi.json", (ex, m) -> openapi(ex))
                .route("GET", "/api/v1/satellites", (ex, m) -> satellites(ex))
                .route("GET", SAT, (ex, m) -> satellite(ex, sat(m.group(1))))
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

    /** The most satellites one page of {@code GET /api/v1/satellites?limit=} holds. */
    public static final int MAX_SATELLITE_PAGE = 1000;

    /**
     * The fleet by name: every satellite, or with {@code limit} one page of at most that many after the satellite
     * {@code after}, and {@code next}, the {@code after} of the following page (null on the last one).
     */
    private void satellites(HttpExchange ex) throws IOException {
        access.listScope(ex, Resource.SATELLITES);
        Map<String, String> q = Exchange.query(ex);
        String after = q.get("after");
        if (after != null && !SatelliteNames.valid(after)) throw invalid("after", after, SatelliteNames.problem(after));
        boolean paged = q.containsKey("limit");
        int limit = Exchange.intParam(q, "limit", MAX_SATELLITE_PAGE, 1, MAX_SATELLITE_PAGE);
        if (after != null && !paged) throw invalid("after", after, "needs limit: after names the last satellite of the page before");
        List<SatelliteRecord> records = paged ? fleet.page(after, limit + 1) : fleet.list(false);
        String next = null;
        if (paged && records.size() > limit) {
            records = records.subList(0, limit);
            next = records.getLast().name();
        }
        Map<String, LinkStats> stats = new HashMap<>();
        for (LinkStats s : linkPeers()) stats.put(s.peer(), s);
        ArrayNode a = Exchange.JSON.arrayNode();
        Map<String, io.orchide.orbit.Tle> tles = passes.tles();
        List<io.orchide.orbit.GroundStation> stations = tles.isEmpty() ? List.of() : passes.stations();
        Instant now = clock.instant();
        for (SatelliteRecord r : records) {
            LinkStats link = stats.get(r.name());
            ObjectNode v = satelliteView(r, link, false);
            PassApi.nextPass(passes, r.name(), tles, stations, now).ifPresent(p -> withNextPass(v, p, now));
            v.set("delivery", PassApi.view(deliveries.estimate(r.name(), tles.get(r.name()), stations,
                    link == null ? 0 : link.queuedBytes(), link != null && link.connected()), now));
            a.add(v);
        }
        ObjectNode o = Exchange.JSON.objectNode();
        o.set("items", a);
        if (paged) o.put("next", next);
        Exchange.send(ex, 200, o);
    }

    private void satellite(HttpExchange ex, String sat) throws IOException {
        access.require(ex, Verb.GET, Resource.SATELLITES, null, sat);
        SatelliteRecord r = fleet.get(sat).orElseThrow(() -> noSatellite(sat));
        ObjectNode v = satelliteView(r, linkStats(sat), true);
        Instant now = clock.instant();
        PassApi.nextPass(passes, sat, passes.tles(), passes.stations(), now).ifPresent(p -> withNextPass(v, p, now));
        v.set("delivery", delivery(sat));
        Exchange.send(ex, 200, v);
    }

    /** A satellite's view with its next pass, and whether its uplink queue fits that pass's uplink capacity. */
    private static void withNextPass(ObjectNode v, Pass p, Instant now) {
        v.set("nextPass", PassApi.view(p, now));
        ObjectNode up = (ObjectNode) v.path("uplinkQueue");
        up.put("fitsNextPass", up.path("bytes").asLong() <= p.uplinkBytes());
    }

    /**
     * When what is queued for {@code sat} now (a change just applied included) will be delivered: the apply
     * answer's {@code delivery}.
     */
    private ObjectNode delivery(String sat) {
        LinkStats s = linkStats(sat);
        return PassApi.view(deliveries.estimate(sat, s == null ? 0 : s.queuedBytes(), s != null && s.connected()),
                clock.instant());
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
        o.set("positions", PositionView.of(r.nodes().stream().map(NodeRecord::name).toList(),
                reports.positions(r.name()), clock));
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
        return age(clock, t);
    }

    /** Whole seconds from {@code t} to now, 0 for none or a time ahead of the clock. */
    static long age(Clock clock, Instant t) {
        return t == null ? 0 : Math.max(0, Duration.between(t, clock.instant()).toSeconds());
    }

    static void putInstant(ObjectNode o, String f, Instant t) {
        if (t == null) o.putNull(f);
        else o.put(f, t.toString());
    }

    static JsonNode jsonOr(String text) {
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

    private static ApiException noSatellite(String sat) {
        return new ApiException(404, "not_found", "no satellite " + sat,
                List.of(new FieldError("satellite", sat, "no such satellite")));
    }

    static ApiException invalid(String field, String value, String message) {
        return new ApiException(400, "invalid", field + ": " + message, List.of(new FieldError(field, value, message)));
    }

}
