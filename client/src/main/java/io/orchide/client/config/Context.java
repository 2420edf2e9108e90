package io.orchide.client.config;

import java.util.Objects;

/**
 * A named context: which server the CLI talks to, with which token, and the tenant and satellite a verb means when it
 * names none. Every field but the name may be absent (null). {@link #toString()} never shows the token.
 */
public record Context(String name, String server, String token, String tenant, String satellite) {
    public Context {
        Objects.requireNonNull(name, "name");
    }

    /** This context with each non-null field of {@code change} put over its own. */
    public Context merged(Context change) {
        return new Context(name, or(change.server, server), or(change.token, token), or(change.tenant, tenant),
                or(change.satellite, satellite));
    }

    private static String or(String a, String b) { return a != null ? a : b; }

    @Override
    public String toString() {
        return "Context[name=" + name + ", server=" + server + ", token=" + (token == null ? "none" : "(set)")
                + ", tenant=" + tenant + ", satellite=" + satellite + "]";
    }
}
