package io.orchide.client.config;

import java.util.Optional;
import java.util.function.Function;

/**
 * What a client verb talks to and as whom: the server, the bearer token, and the tenant and satellite it means when it
 * names none; any of them may be null (none). {@link #toString()} never shows the token.
 */
public record Target(String server, String token, String tenant, String satellite) {
    public static final String SERVER_ENV = "ORCHIDE_SERVER";
    public static final String TOKEN_ENV = "ORCHIDE_TOKEN";

    /**
     * Each field from the first source that gives it: the command line's {@code flags}, then the environment
     * ({@code ORCHIDE_SERVER}, {@code ORCHIDE_TOKEN}), then the current context of {@code config}. A context's token and
     * satellite belong to its server: they are used only when the server is the context's (given nowhere else, or
     * given as the same address), so that a token is never sent to a server it was not configured for.
     */
    public static Target resolve(Target flags, Function<String, String> env, ClientConfig config) {
        Optional<Context> current = config.current();
        String server = first(flags.server, env.apply(SERVER_ENV), current.map(Context::server).orElse(null));
        boolean contextServer = current.isPresent() && current.get().server() != null && server != null
                && ConfigValues.normalizedServer(server).equals(current.get().server());
        String token = first(flags.token, env.apply(TOKEN_ENV),
                contextServer ? current.get().token() : null);
        String satellite = first(flags.satellite, contextServer ? current.get().satellite() : null);
        String tenant = first(flags.tenant, current.map(Context::tenant).orElse(null));
        return new Target(server, token, tenant, satellite);
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }

    @Override
    public String toString() {
        return "Target[server=" + server + ", token=" + (token == null ? "none" : "(set)") + ", tenant=" + tenant
                + ", satellite=" + satellite + "]";
    }
}
