package io.orchide.client.config;

import java.util.Objects;

/**
 * A named context: which server the CLI talks to, with which token, and the tenant and satellite a verb means when it
 * names none. Every field but the name may be absent (null). {@link #toString()} never shows the token.
 *
 * @param issuer the OpenID Connect issuer the token came from ({@code orchide login --oidc-issuer}); null for a token
 *               given as it is
 */
public record Context(String name, String server, String token, String tenant, String satellite, String issuer) {
    public Context {
        Objects.requireNonNull(name, "name");
    }

    /** A context whose token (if any) was given as it is, not from an issuer. */
    public Context(String name, String server, String token, String tenant, String satellite) {
        this(name, server, token, tenant, satellite, null);
    }

    /**
     * This context with each non-null field of {@code change} put over its own. A token and its issuer go together: a
     * change that sets a token sets the issuer too (to none for a token given as it is), so that a token never keeps
     * the issuer of the one it replaced.
     */
    public Context merged(Context change) {
        return new Context(name, or(change.server, server), or(change.token, token), or(change.tenant, tenant),
                or(change.satellite, satellite), change.token != null ? change.issuer : or(change.issuer, issuer));
    }

    private static String or(String a, String b) { return a != null ? a : b; }

    @Override
    public String toString() {
        return "Context[name=" + name + ", server=" + server + ", token=" + (token == null ? "none" : "(set)")
                + ", tenant=" + tenant + ", satellite=" + satellite + ", issuer=" + issuer + "]";
    }
}
