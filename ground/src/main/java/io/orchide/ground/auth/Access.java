package io.orchide.ground.auth;

import com.sun.net.httpserver.HttpExchange;
import io.orchide.model.FieldError;
import io.orchide.web.ApiException;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Ground's access control on the API: the gate that authenticates every request before dispatch (all but
 * {@link #OPEN}), and the checks handlers make once they know the tenant an object belongs to. Every decision,
 * allowed or refused, goes to the {@link DecisionListener}.
 */
public final class Access {
    /** Answered without a token: liveness, readiness and the API's description. */
    public static final Set<String> OPEN = Set.of("/api/v1/health", "/api/v1/ready", "/api/v1/openapi.json");
    /** The dashboard's static files ({@code /} and {@code /ui/...}): they hold no data, the page asks the API with its token. */
    public static boolean dashboard(String path) {
        return path.equals("/") || path.startsWith("/ui/");
    }
    private static final String ATTRIBUTE = "io.orchide.ground.auth.caller";
    private static final String SOURCE = "io.orchide.ground.auth.source";
    /** Who a request is with the check bypassed (tests and benchmarks): a platform admin. */
    public static final Caller BYPASS = new Caller("bypass", "bypass", Caller.USER, null,
            List.of(new Binding("bypass", "bypass", Role.PLATFORM_ADMIN, null, Instant.EPOCH)));

    private final List<Authenticator> authenticators;
    private final DecisionListener listener;
    private final boolean bypass;
    private final Clock clock;

    public Access(List<Authenticator> authenticators, DecisionListener listener, boolean bypass, Clock clock) {
        this.authenticators = List.copyOf(authenticators);
        this.listener = listener == null ? DecisionListener.LOG : listener;
        this.bypass = bypass;
        this.clock = clock;
    }

    /** The gate of ground's API server: 401 {@code unauthenticated} with {@code WWW-Authenticate: Bearer} unless a credential proves a caller. */
    public void admit(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        if (ex.getRequestMethod().equals("GET") && (OPEN.contains(path) || dashboard(path))) return;
        if (bypass) {
            ex.setAttribute(ATTRIBUTE, BYPASS);
            return;
        }
        String h = ex.getRequestHeaders().getFirst("Authorization");
        try {
            if (h == null) throw new Unauthenticated("no credential: send Authorization: Bearer <token>");
            if (!h.regionMatches(true, 0, "Bearer ", 0, 7) || h.substring(7).isBlank()) {
                throw new Unauthenticated("malformed Authorization header: expected Bearer <token>");
            }
            String credential = h.substring(7).strip();
            Caller c = null;
            for (Authenticator a : authenticators) {
                Optional<Caller> r = a.authenticate(credential);
                if (r.isPresent()) {
                    c = r.get();
                    break;
                }
            }
            if (c == null) throw new Unauthenticated("unrecognised credential: expected an API token (" + ApiTokens.PREFIX + "...)"
                    + (authenticators.size() > 1 ? " or an OIDC JWT" : ""));
            ex.setAttribute(ATTRIBUTE, c);
        } catch (Unauthenticated e) {
            listener.decided(new Decision(null, null, null, ex.getRequestMethod(), path, null,
                    Decision.Outcome.UNAUTHENTICATED, e.getMessage(), source(ex), clock.instant()));
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"orchide\"");
            throw new ApiException(401, "unauthenticated", e.getMessage());
        }
    }

    /** The caller the gate admitted for {@code ex}. */
    public static Caller caller(HttpExchange ex) {
        Object c = ex.getAttribute(ATTRIBUTE);
        if (c instanceof Caller caller) return caller;
        throw new IllegalStateException("no caller on " + ex.getRequestURI() + ": the route is not behind the gate");
    }

    /**
     * Refuses with 403 {@code forbidden} (naming the verb, resource and tenant asked) unless the caller may do
     * {@code verb} on {@code resource} in {@code tenant} (null: fleet-wide); told to the listener either way.
     */
    public void require(HttpExchange ex, Verb verb, Resource resource, String tenant, String name) {
        Caller c = caller(ex);
        boolean ok = c.allows(verb, resource, tenant);
        decided(ex, c, verb, resource, tenant, name, ok);
        if (!ok) throw forbidden(c, verb, resource, tenant);
    }

    /**
     * Whether the caller may do {@code verb} on an object of {@code tenant}, told to the listener; a handler answers a
     * refusal as if the object did not exist, so that nobody learns of another tenant's objects.
     */
    public boolean may(HttpExchange ex, Verb verb, Resource resource, String tenant, String name) {
        Caller c = caller(ex);
        boolean ok = c.allows(verb, resource, tenant);
        decided(ex, c, verb, resource, tenant, name, ok);
        return ok;
    }

    /** Where the caller may list {@code resource}: 403 when nowhere; told to the listener. */
    public Caller.Scope listScope(HttpExchange ex, Resource resource) {
        Caller c = caller(ex);
        Caller.Scope s = c.scope(Verb.LIST, resource);
        decided(ex, c, Verb.LIST, resource, s.fleet() ? null : c.onlyTenant(), null, !s.none());
        if (s.none()) throw forbidden(c, Verb.LIST, resource, null);
        return s;
    }

    /** Tells the listener of a decision a handler made itself (an escalation refused, say). */
    public void decided(HttpExchange ex, Caller c, Verb verb, Resource resource, String tenant, String name, boolean ok) {
        listener.decided(new Decision(c.id(), c.credential(), tenant, verb.wire(), resource.wire(), name,
                ok ? Decision.Outcome.ALLOWED : Decision.Outcome.DENIED, ok ? null : "not granted by any role binding",
                source(ex), clock.instant()));
    }

    /** Tells the listener of a request refused for {@code reason} though the caller's role allows it (over a quota, say). */
    public void refused(HttpExchange ex, Verb verb, Resource resource, String tenant, String name, String reason) {
        Caller c = caller(ex);
        listener.decided(new Decision(c.id(), c.credential(), tenant, verb.wire(), resource.wire(), name,
                Decision.Outcome.DENIED, reason, source(ex), clock.instant()));
    }

    /**
     * Tells the listener of a change allowed that the audit must say more about than its verb and resource
     * ({@code note}: a forced hand-over, say), beside the decision that let the caller ask.
     */
    public void noted(HttpExchange ex, Verb verb, Resource resource, String tenant, String name, String note) {
        Caller c = caller(ex);
        listener.decided(new Decision(c.id(), c.credential(), tenant, verb.wire(), resource.wire(), name,
                Decision.Outcome.ALLOWED, note, source(ex), clock.instant()));
    }

    public static ApiException forbidden(Caller c, Verb verb, Resource resource, String tenant) {
        String where = tenant == null ? "fleet-wide" : "in tenant " + tenant;
        String msg = c.name() + " may not " + verb.wire() + " " + resource.wire() + " " + where;
        return new ApiException(403, "forbidden", msg, List.of(new FieldError(tenant == null ? "resource" : "tenant",
                tenant == null ? resource.wire() : tenant, "no role binding of " + c.id() + " allows " + verb.wire()
                + " on " + resource.wire() + " " + where)));
    }

    private static String source(HttpExchange ex) {
        InetSocketAddress a = ex.getRemoteAddress();
        return a == null ? null : a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
