package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Caller;
import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Tenant;
import io.orchide.ground.auth.Verb;
import io.orchide.ground.quota.QuotaUse;
import io.orchide.ground.quota.Quotas;
import io.orchide.model.FieldError;
import io.orchide.model.tenant.Quota;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tenants and their quotas: {@code POST /api/v1/tenants} (a name and a quota), {@code GET /api/v1/tenants} and
 * {@code /api/v1/tenants/{name}} (each with its quota and its use of the ground quotas now), and
 * {@code PUT /api/v1/tenants/{name}/quota} (the limits named are set, {@code key=none} removes one, the others are kept;
 * platform admins only).
 */
final class TenantApi {
    private final Access access;
    private final AuthStore store;
    private final Quotas quotas;
    private final Consumer<String> onBoardChanged;
    private final Clock clock;

    /** {@code onBoardChanged} sends a tenant's on-board quota to its satellites once the quota was changed. */
    TenantApi(Access access, AuthStore store, Quotas quotas, Consumer<String> onBoardChanged, Clock clock) {
        this.access = access;
        this.store = store;
        this.quotas = quotas;
        this.onBoardChanged = onBoardChanged;
        this.clock = clock;
    }

    void register(ApiServer s) {
        s.route("POST", "/api/v1/tenants", (ex, m) -> create(ex))
                .route("GET", "/api/v1/tenants", (ex, m) -> list(ex))
                .route("GET", "/api/v1/tenants/([^/]+)", (ex, m) -> get(ex, m.group(1)))
                .route("PUT", "/api/v1/tenants/([^/]+)/quota", (ex, m) -> update(ex, m.group(1)));
    }

    private void create(HttpExchange ex) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        String name = AuthApi.requiredName(body, "name");
        access.require(ex, Verb.CREATE, Resource.TENANTS, name, name);
        Quota q;
        try {
            q = Quota.parse("quota", body.path("quota").isTextual() ? body.path("quota").asText() : null);
        } catch (Quota.Invalid e) {
            throw new ApiException(400, "invalid", "quota: " + e.getMessage(), e.errors());
        }
        Tenant t = new Tenant(name, q, clock.instant());
        if (!store.createTenant(t)) {
            throw new ApiException(409, "exists", "tenant " + name + " exists; change its quota with orchide set quota " + name
                    + " --quota K=V,... (PUT /api/v1/tenants/" + name + "/quota)", List.of(new FieldError("name", name, "exists")));
        }
        Exchange.send(ex, 201, view(t, quotas.use(name)));
    }

    private void update(HttpExchange ex, String name) throws IOException {
        ApiException missing = missing(name);
        if (!access.may(ex, Verb.GET, Resource.TENANTS, name, name)) throw missing;
        access.require(ex, Verb.UPDATE, Resource.TENANTS, name, name);
        JsonNode body = Exchange.jsonBody(ex);
        JsonNode text = body.path("quota");
        if (!text.isTextual()) {
            throw GroundApi.invalid("quota", text.isMissingNode() ? null : text.toString(),
                    "must be the limits to change, such as apps=30,images=4Gi (none removes a limit)");
        }
        Tenant t;
        try {
            t = store.updateQuota(name, q -> q.update("quota", text.asText())).orElseThrow(() -> missing);
        } catch (Quota.Invalid e) {
            throw new ApiException(400, "invalid", "quota: " + e.getMessage(), e.errors());
        }
        onBoardChanged.accept(name); // a satellite is sent the on-board part only where it differs from what it holds
        Exchange.send(ex, 200, view(t, quotas.use(name)));
    }

    private void list(HttpExchange ex) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.TENANTS);
        List<Tenant> shown = store.tenants().stream().filter(t -> scope.includes(t.name())).toList();
        Map<String, QuotaUse> use = quotas.uses(shown.stream().map(Tenant::name).toList());
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Tenant t : shown) a.add(view(t, use.get(t.name())));
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    private void get(HttpExchange ex, String name) throws IOException {
        ApiException missing = missing(name);
        if (!access.may(ex, Verb.GET, Resource.TENANTS, name, name)) throw missing;
        Tenant t = store.tenant(name).orElseThrow(() -> missing);
        Exchange.send(ex, 200, view(t, quotas.use(name)));
    }

    private static ApiException missing(String name) {
        return new ApiException(404, "not_found", "no tenant " + name, List.of(new FieldError("name", name, "no such tenant")));
    }

    /**
     * A tenant: its quota as written, its limits ({@code limits}, null where none), and per ground quota its limit
     * and use now ({@code usage}: uplink counts bytes since 00:00 UTC).
     */
    static ObjectNode view(Tenant t, QuotaUse use) {
        Quota q = t.quota();
        ObjectNode o = Exchange.JSON.objectNode().put("name", t.name()).put("quota", q.format());
        ObjectNode l = o.putObject("limits");
        putOrNull(l, "cpuMillis", q.cpuMillis());
        putOrNull(l, "memoryBytes", q.memoryBytes());
        putOrNull(l, "storageBytes", q.storageBytes());
        putOrNull(l, "uplinkBytesPerDay", q.uplinkBytesPerDay());
        putOrNull(l, "apps", q.apps());
        putOrNull(l, "pipelines", q.pipelines());
        putOrNull(l, "imageBytes", q.imageBytes());
        putOrNull(l, "productBytes", q.productBytes());
        ObjectNode u = o.putObject("usage");
        for (var e : use.byKey().entrySet()) {
            ObjectNode n = u.putObject(e.getKey());
            putOrNull(n, "limit", QuotaUse.limit(q, e.getKey()));
            n.put("used", e.getValue());
            Long limit = QuotaUse.limit(q, e.getKey());
            n.put("exceeded", limit != null && e.getValue() > limit);
        }
        GroundApi.putInstant(o, "created", t.created());
        return o;
    }

    private static void putOrNull(ObjectNode o, String f, Long v) {
        if (v == null) o.putNull(f);
        else o.put(f, v);
    }
}
