package io.orchide.node.api;

import com.sun.net.httpserver.HttpExchange;
import io.orchide.web.ApiException;
import io.orchide.web.Gate;

import java.net.InetSocketAddress;
import java.util.Set;

/**
 * Lets through only the calls of the local API that carry the node's token ({@code Authorization: Bearer}); the
 * others get 401 {@code unauthenticated} with {@code WWW-Authenticate: Bearer}, before any route is matched, and go
 * to the {@link RefusalLog}. {@link #OPEN_ROUTES} need no token: the liveness probe, whose body says nothing of the
 * node's state.
 */
public final class TokenGate implements Gate {
    /** The calls that need no token, as {@code METHOD path}. */
    public static final Set<String> OPEN_ROUTES = Set.of("GET " + NodeApi.HEALTH);
    static final String CHALLENGE = "Bearer realm=\"orchide-node\"";
    /** The start of every refusal's message, which the CLI recognises to say where the token is. */
    public static final String REFUSAL = "this node's API needs the node's token";

    private final NodeToken token;
    private final RefusalLog refusals;

    public TokenGate(NodeToken token, RefusalLog refusals) {
        this.token = token;
        this.refusals = refusals;
    }

    @Override
    public void check(HttpExchange ex) {
        String call = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        if (OPEN_ROUTES.contains(call)) return;
        String why = problem(ex.getRequestHeaders().getFirst("Authorization"));
        if (why == null) return;
        refusals.refused(source(ex), why + " (" + call + ")");
        ex.getResponseHeaders().set("WWW-Authenticate", CHALLENGE);
        throw new ApiException(401, "unauthenticated", REFUSAL + " (Authorization: Bearer): " + why
                + "; on the node, `orchide node token --data-dir DIR` prints it");
    }

    /** What is wrong with the {@code Authorization} header, or null when it carries this node's token. */
    private String problem(String authorization) {
        if (authorization == null) return "no token was sent";
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
            return "the Authorization header is not a bearer token";
        }
        return token.matches(authorization.substring(space + 1).strip()) ? null : "the token is not this node's";
    }

    private static String source(HttpExchange ex) {
        InetSocketAddress a = ex.getRemoteAddress();
        return a == null || a.getAddress() == null ? "an unknown address" : a.getAddress().getHostAddress();
    }
}
