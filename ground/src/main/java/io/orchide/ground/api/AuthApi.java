package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.orchide.ground.auth.Access;
import io.orchide.ground.auth.OidcAuthenticator;
import io.orchide.ground.auth.ApiTokens;
import io.orchide.ground.auth.AuthStore;
import io.orchide.ground.auth.Binding;
import io.orchide.ground.auth.Caller;

import io.orchide.ground.auth.Resource;
import io.orchide.ground.auth.Role;
import io.orchide.ground.auth.TokenInfo;
import io.orchide.ground.auth.Verb;
import io.orchide.model.FieldError;
import io.orchide.model.Names;
import io.orchide.model.codec.Durations;
import io.orchide.web.ApiException;
import io.orchide.web.ApiServer;
import io.orchide.web.Exchange;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * API tokens and role bindings ({@code /api/v1/tokens}, {@code /rolebindings}), and what a caller may ask about
 * itself ({@code /api/v1/auth/whoami}, {@code /api/v1/auth/can-i}). Nobody makes a token or a binding that grants more
 * than they hold. Tenants are {@link TenantApi}'s.
 */
final class AuthApi {
    /** A token's lifetime when none is asked. */
    static final Duration DEFAULT_TTL = Duration.ofDays(90);
    /** The longest lifetime a token may be given. */
    static final Duration MAX_TTL = Duration.ofDays(3650);

    private final Access access;
    private final AuthStore store;
    private final ApiTokens tokens;
    private final Clock clock;

    AuthApi(Access access, AuthStore store, ApiTokens tokens, Clock clock) {
        this.access = access;
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    void register(ApiServer s) {
        s.route("GET", "/api/v1/auth/whoami", (ex, m) -> whoami(ex))
                .route("POST", "/api/v1/auth/can-i", (ex, m) -> canI(ex))
                .route("POST", "/api/v1/tokens", (ex, m) -> createToken(ex))
                .route("GET", "/api/v1/tokens", (ex, m) -> tokens(ex))
                .route("DELETE", "/api/v1/tokens/([^/]+)", (ex, m) -> revoke(ex, m.group(1)))
                .route("POST", "/api/v1/rolebindings", (ex, m) -> createBinding(ex))
                .route("GET", "/api/v1/rolebindings", (ex, m) -> bindings(ex));
    }

    // ---- the caller

    private void whoami(HttpExchange ex) throws IOException {
        Caller c = Access.caller(ex);
        ObjectNode o = Exchange.JSON.objectNode().put("id", c.id()).put("name", c.name()).put("kind", c.kind());
        if (c.credential() != null) o.put("token", c.credential());
        ArrayNode a = o.putArray("bindings");
        c.bindings().forEach(b -> a.add(bindingView(b)));
        Exchange.send(ex, 200, o);
    }

    private void canI(HttpExchange ex) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        Verb verb = Verb.of(body.path("verb").asText(""));
        if (verb == null) throw GroundApi.invalid("verb", text(body, "verb"), "must be one of " + Verb.names());
        Resource res = Resource.of(body.path("resource").asText(""));
        if (res == null) throw GroundApi.invalid("resource", text(body, "resource"), "must be one of " + Resource.names());
        String tenant = optionalName(body, "tenant");
        Caller c = Access.caller(ex);
        if (tenant == null && res.tenantScoped()) tenant = c.onlyTenant();
        boolean yes = c.allows(verb, res, tenant);
        ObjectNode o = Exchange.JSON.objectNode().put("allowed", yes).put("verb", verb.wire()).put("resource", res.wire());
        if (tenant == null) o.putNull("tenant");
        else o.put("tenant", tenant);
        Exchange.send(ex, 200, o);
    }

    // ---- tokens

    /**
     * A service account bound to {@code role} in {@code tenant} (fleet-wide for a fleet role), with one token, shown
     * in this answer only.
     */
    private void createToken(HttpExchange ex) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        Caller c = Access.caller(ex);
        Role role = role(body);
        String tenant = bindingTenant(body, role, c);
        Duration ttl = ttl(body);
        String name = body.path("name").isTextual() ? body.path("name").asText() : null;
        if (name != null && (name.isBlank() || name.length() > 253)) throw GroundApi.invalid("name", name, "must be 1 to 253 characters");
        access.require(ex, Verb.CREATE, Resource.TOKENS, tenant, name);
        refuseEscalation(ex, c, role, tenant);
        requireTenant(tenant);
        String id = ApiTokens.newId();
        String principal = "sa-" + id;
        ApiTokens.Minted t = tokens.mint(id, principal, name, ttl); // the service account is named after its first token
        Binding b = new Binding("rb-" + ApiTokens.newId(), principal, role, tenant, clock.instant());
        store.createServiceAccount(principal, name == null ? principal : name, b, t.stored(), c.id());
        ObjectNode o = tokenView(store.token(t.stored().id()).orElseThrow());
        o.put("token", t.secret());
        Exchange.send(ex, 201, o);
    }

    private void tokens(HttpExchange ex) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.TOKENS);
        boolean revoked = "true".equals(Exchange.query(ex).get("revoked"));
        ArrayNode a = Exchange.JSON.arrayNode();
        for (TokenInfo t : store.tokens(revoked)) if (within(scope, t.bindings())) a.add(tokenView(t));
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    /**
     * Revokes a token: the caller's own, or one whose every binding is within the caller's reach for deleting tokens;
     * any other answers as a missing one. The next request with it is refused, on every replica.
     */
    private void revoke(HttpExchange ex, String id) throws IOException {
        Caller c = Access.caller(ex);
        ApiException missing = new ApiException(404, "not_found", "no token " + id, List.of(new FieldError("id", id, "no such token")));
        TokenInfo t = store.token(id).orElseThrow(() -> missing);
        boolean own = t.principal().equals(c.id());
        boolean ok = own || within(c.scope(Verb.DELETE, Resource.TOKENS), t.bindings());
        access.decided(ex, c, Verb.DELETE, Resource.TOKENS, t.bindings().isEmpty() ? null : t.bindings().getFirst().tenant(), id, ok);
        if (!ok) throw missing;
        if (t.revoked() == null) store.revoke(id, clock.instant());
        Exchange.send(ex, 200, tokenView(store.token(id).orElseThrow()));
    }

    private static boolean within(Caller.Scope scope, List<Binding> bindings) {
        if (scope.fleet()) return true;
        if (bindings.isEmpty()) return false;
        for (Binding b : bindings) if (b.fleetWide() || !scope.includes(b.tenant())) return false;
        return true;
    }

    private static ObjectNode tokenView(TokenInfo t) {
        ObjectNode o = Exchange.JSON.objectNode().put("id", t.id());
        if (t.name() == null) o.putNull("name");
        else o.put("name", t.name());
        o.put("principal", t.principal()).put("prefix", t.prefix());
        if (t.bindings().size() == 1) {
            o.put("role", t.bindings().getFirst().role().wire());
            if (t.bindings().getFirst().tenant() == null) o.putNull("tenant");
            else o.put("tenant", t.bindings().getFirst().tenant());
        } else {
            o.put("role", String.join(",", t.bindings().stream().map(Binding::label).toList()));
            o.putNull("tenant");
        }
        GroundApi.putInstant(o, "created", t.created());
        GroundApi.putInstant(o, "expires", t.expires());
        GroundApi.putInstant(o, "lastUsed", t.lastUsed());
        GroundApi.putInstant(o, "revoked", t.revoked());
        return o;
    }

    // ---- role bindings

    private void createBinding(HttpExchange ex) throws IOException {
        JsonNode body = Exchange.jsonBody(ex);
        Caller c = Access.caller(ex);
        JsonNode p = body.path("principal");
        if (!p.isTextual() || p.asText().isBlank()) throw GroundApi.invalid("principal", text(body, "principal"), "must be a principal's id");
        Role role = role(body);
        String tenant = bindingTenant(body, role, c);
        access.require(ex, Verb.CREATE, Resource.ROLEBINDINGS, tenant, p.asText());
        refuseEscalation(ex, c, role, tenant);
        requireTenant(tenant);
        // an OIDC user is named issuer#subject, and may be bound before its first request
        boolean oidc = OidcAuthenticator.isPrincipalName(p.asText());
        if (oidc && p.asText().length() > 253) {
            throw GroundApi.invalid("principal", p.asText(), "an OIDC principal (issuer#subject) of at most 253 characters");
        }
        String principal = oidc ? OidcAuthenticator.principalId(p.asText()) : p.asText();
        if (!oidc && !store.principalExists(principal)) {
            throw new ApiException(404, "not_found", "no principal " + p.asText(),
                    List.of(new FieldError("principal", p.asText(), "no such principal")));
        }
        Binding b = new Binding("rb-" + ApiTokens.newId(), principal, role, tenant, clock.instant());
        if (oidc) store.createBinding(b, c.id(), p.asText());
        else store.createBinding(b, c.id());
        Exchange.send(ex, 201, bindingView(b));
    }

    private void bindings(HttpExchange ex) throws IOException {
        Caller.Scope scope = access.listScope(ex, Resource.ROLEBINDINGS);
        ArrayNode a = Exchange.JSON.arrayNode();
        for (Binding b : store.bindings()) if (scope.fleet() || (!b.fleetWide() && scope.includes(b.tenant()))) a.add(bindingView(b));
        Exchange.send(ex, 200, Exchange.JSON.objectNode().set("items", a));
    }

    private static ObjectNode bindingView(Binding b) {
        ObjectNode o = Exchange.JSON.objectNode().put("id", b.id()).put("principal", b.principal()).put("role", b.role().wire());
        if (b.tenant() == null) o.putNull("tenant");
        else o.put("tenant", b.tenant());
        GroundApi.putInstant(o, "created", b.created());
        return o;
    }

    // ---- helpers

    /** 403 unless the caller holds every permission {@code role} would grant where it would be bound. */
    private void refuseEscalation(HttpExchange ex, Caller c, Role role, String tenant) {
        if (c.holdsAll(role, tenant)) return;
        String where = tenant == null ? "fleet-wide" : "in tenant " + tenant;
        access.decided(ex, c, Verb.CREATE, Resource.ROLEBINDINGS, tenant, role.wire(), false);
        throw new ApiException(403, "forbidden", c.name() + " may not grant role " + role.wire() + " " + where
                + ": it grants more than " + c.name() + " holds there",
                List.of(new FieldError("role", role.wire(), "grants more than the caller holds " + where)));
    }

    private void requireTenant(String tenant) {
        if (tenant != null && store.tenant(tenant).isEmpty()) {
            throw new ApiException(404, "not_found", "no tenant " + tenant + "; create it first (orchide create tenant "
                    + tenant + ")", List.of(new FieldError("tenant", tenant, "no such tenant")));
        }
    }

    private static Role role(JsonNode body) {
        Role r = Role.of(body.path("role").asText(""));
        if (r == null) throw GroundApi.invalid("role", text(body, "role"), "must be one of " + Role.names());
        return r;
    }

    /**
     * The tenant a binding of {@code role} is for: none for a fleet role (one named is refused), the named one, else
     * the caller's only tenant; a tenant role with neither is refused.
     */
    private static String bindingTenant(JsonNode body, Role role, Caller c) {
        String tenant = optionalName(body, "tenant");
        if (role.fleetOnly()) {
            if (tenant != null) throw GroundApi.invalid("tenant", tenant, "role " + role.wire() + " is fleet-wide: name no tenant");
            return null;
        }
        if (tenant == null) tenant = c.onlyTenant();
        if (tenant == null) throw GroundApi.invalid("tenant", null, "role " + role.wire() + " is bound to a tenant: name one");
        return tenant;
    }

    private static Duration ttl(JsonNode body) {
        JsonNode n = body.path("ttl");
        if (n.isMissingNode() || n.isNull()) return DEFAULT_TTL;
        try {
            Duration d = Durations.parse(n.asText());
            if (d.compareTo(MAX_TTL) <= 0) return d;
        } catch (RuntimeException e) {
            // below
        }
        throw GroundApi.invalid("ttl", n.asText(), "must be " + Durations.SYNTAX + ", at most " + MAX_TTL.toDays() + "d");
    }

    static String requiredName(JsonNode body, String field) {
        String n = optionalName(body, field);
        if (n == null) throw GroundApi.invalid(field, null, "is required (a DNS-1123 label)");
        return n;
    }

    private static String optionalName(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull() || (n.isTextual() && n.asText().isEmpty())) return null;
        String p = n.isTextual() ? Names.dnsLabelProblem(n.asText()) : "must be a string";
        if (p != null) throw GroundApi.invalid(field, n.toString(), p);
        return n.asText();
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.path(field);
        return n.isMissingNode() ? null : n.isTextual() ? n.asText() : n.toString();
    }
}
