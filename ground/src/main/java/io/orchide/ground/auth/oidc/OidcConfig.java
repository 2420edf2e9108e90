package io.orchide.ground.auth.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link OidcVerifier} accepts: tokens of one issuer for one audience, signed with one of the allowed asymmetric
 * algorithms, and where the tenant and groups are found. A bad value is refused at construction with the field and
 * the value.
 *
 * @param issuer                 the issuer identifier, compared with {@code iss} exactly (a trailing slash matters);
 *                               discovery is at {@code <issuer>/.well-known/openid-configuration}
 * @param audience               a value {@code aud} must contain (often the client id the tokens were issued to)
 * @param tenantClaim            the claim naming the bearer's tenant (a top-level claim name)
 * @param groupsClaim            the claim listing the bearer's groups (a string or a list of strings)
 * @param allowedAlgorithms      a non-empty subset of {@link #ASYMMETRIC}; {@code none} and HMAC are never allowed
 * @param clockSkew              tolerated difference between the issuer's clock and ours for exp, nbf and iat
 * @param jwksCacheTime          how long fetched keys are used before they are fetched again
 * @param jwksMinRefreshInterval the least time between two fetches of the JWKS, also when tokens name unknown key ids,
 *                               so that a flood of made-up key ids does not turn into a flood of requests to the issuer
 * @param httpTimeout            connect and response timeout of each request to the issuer
 */
public record OidcConfig(String issuer, String audience, String tenantClaim, String groupsClaim,
                         Set<String> allowedAlgorithms, Duration clockSkew, Duration jwksCacheTime,
                         Duration jwksMinRefreshInterval, Duration httpTimeout) {
    /** The JWS algorithms a token may be signed with: RSA PKCS#1 and PSS, ECDSA on P-256 and P-384, Ed25519. */
    public static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "EdDSA");
    public static final String DEFAULT_TENANT_CLAIM = "tenant";
    public static final String DEFAULT_GROUPS_CLAIM = "groups";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_JWKS_CACHE_TIME = Duration.ofMinutes(15);
    public static final Duration DEFAULT_JWKS_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HTTP_TIMEOUT = Duration.ofSeconds(5);

    public OidcConfig {
        Objects.requireNonNull(issuer, "issuer");
        String problem = issuerProblem(issuer);
        if (problem != null) throw new IllegalArgumentException("issuer: " + problem + " (got " + issuer + ")");
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("audience: must be given (got " + audience + ")");
        }
        claimName("tenantClaim", tenantClaim);
        claimName("groupsClaim", groupsClaim);
        Objects.requireNonNull(allowedAlgorithms, "allowedAlgorithms");
        if (allowedAlgorithms.isEmpty()) throw new IllegalArgumentException("allowedAlgorithms: empty, allow at least one of " + new TreeSet<>(ASYMMETRIC));
        for (String alg : allowedAlgorithms) {
            if (!ASYMMETRIC.contains(alg)) {
                throw new IllegalArgumentException("allowedAlgorithms: " + alg + " is not allowed; only asymmetric "
                        + "algorithms are: " + new TreeSet<>(ASYMMETRIC));
            }
        }
        allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        nonNegative("clockSkew", clockSkew);
        positive("jwksCacheTime", jwksCacheTime);
        nonNegative("jwksMinRefreshInterval", jwksMinRefreshInterval);
        positive("httpTimeout", httpTimeout);
    }

    /** Tokens of {@code issuer} for {@code audience}, every asymmetric algorithm, claims and times by default. */
    public static OidcConfig of(String issuer, String audience) {
        return new OidcConfig(issuer, audience, DEFAULT_TENANT_CLAIM, DEFAULT_GROUPS_CLAIM, ASYMMETRIC,
                DEFAULT_CLOCK_SKEW, DEFAULT_JWKS_CACHE_TIME, DEFAULT_JWKS_MIN_REFRESH_INTERVAL, DEFAULT_HTTP_TIMEOUT);
    }

    public OidcConfig withClaims(String tenant, String groups) {
        return new OidcConfig(issuer, audience, tenant, groups, allowedAlgorithms, clockSkew, jwksCacheTime,
                jwksMinRefreshInterval, httpTimeout);
    }

    public OidcConfig withAllowedAlgorithms(Set<String> algorithms) {
        return new OidcConfig(issuer, audience, tenantClaim, groupsClaim, algorithms, clockSkew, jwksCacheTime,
                jwksMinRefreshInterval, httpTimeout);
    }

    /** The discovery document's address: the issuer without a trailing slash, then the well-known path. */
    public URI discoveryUri() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    /** Why {@code issuer} is not an issuer identifier (an http(s) URL with a host, no query or fragment), or null. */
    public static String issuerProblem(String issuer) {
        try {
            URI u = new URI(issuer);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) return "not an http(s) URL";
            if (u.getHost() == null) return "no host in it";
            if (u.getRawQuery() != null || u.getRawFragment() != null) return "an issuer has no query or fragment";
            return null;
        } catch (URISyntaxException e) {
            return e.getReason();
        }
    }

    private static void claimName(String field, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + ": must be given (got " + value + ")");
    }

    private static void nonNegative(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative()) throw new IllegalArgumentException(field + ": negative (got " + d + ")");
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(field + ": must be positive (got " + d + ")");
    }
}
