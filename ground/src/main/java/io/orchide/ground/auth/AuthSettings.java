package io.orchide.ground.auth;

import io.orchide.ground.auth.oidc.OidcConfig;

import java.nio.file.Path;

/**
 * How ground authenticates: {@code adminTokenFile}, where the first start (an empty principal table) writes the
 * platform admin's token (null: {@code <data-dir>/admin.token}, or nowhere with a PostgreSQL database and no data
 * dir), and {@code bypass}, which admits every request as a platform admin without asking for a token.
 * {@code bypass} is for tests and benchmarks only (the benchmark compares a server with and without the check):
 * never for a ground anyone can reach. {@code oidc}, when not null, has ground accept bearer JWTs of that issuer
 * besides its API tokens ({@link OidcAuthenticator}).
 */
public record AuthSettings(Path adminTokenFile, boolean bypass, OidcConfig oidc) {
    public static final AuthSettings DEFAULT = new AuthSettings(null, false);
    /** Tests and benchmarks only: no authentication, every request a platform admin's. */
    public static final AuthSettings BYPASS_FOR_TESTS = new AuthSettings(null, true);

    /** Without OIDC: API tokens only. */
    public AuthSettings(Path adminTokenFile, boolean bypass) {
        this(adminTokenFile, bypass, null);
    }

    /** The same, also accepting OIDC bearer JWTs as {@code oidc} says (null: none). */
    public AuthSettings withOidc(OidcConfig oidc) {
        return new AuthSettings(adminTokenFile, bypass, oidc);
    }

    /** The file the admin token goes to for a ground with {@code dataDir} (may be null). */
    public Path adminTokenFile(Path dataDir) {
        if (adminTokenFile != null) return adminTokenFile;
        return dataDir == null ? null : dataDir.resolve("admin.token");
    }
}
