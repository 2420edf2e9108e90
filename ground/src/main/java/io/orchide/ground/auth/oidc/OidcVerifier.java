package io.orchide.ground.auth.oidc;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.orchide.ground.auth.oidc.OidcException.Reason.ALGORITHM_NOT_ALLOWED;
import static io.orchide.ground.auth.oidc.OidcException.Reason.BAD_SIGNATURE;
import static io.orchide.ground.auth.oidc.OidcException.Reason.EXPIRED;
import static io.orchide.ground.auth.oidc.OidcException.Reason.INVALID_CLAIM;
import static io.orchide.ground.auth.oidc.OidcException.Reason.MALFORMED;
import static io.orchide.ground.auth.oidc.OidcException.Reason.MISSING_CLAIM;
import static io.orchide.ground.auth.oidc.OidcException.Reason.NOT_YET_VALID;
import static io.orchide.ground.auth.oidc.OidcException.Reason.UNKNOWN_KEY_ID;
import static io.orchide.ground.auth.oidc.OidcException.Reason.WRONG_AUDIENCE;
import static io.orchide.ground.auth.oidc.OidcException.Reason.WRONG_ISSUER;

/**
 * Verifies OIDC bearer JWTs of one issuer ({@link OidcConfig}) and says who they name ({@link OidcIdentity}), or why
 * not ({@link OidcException}). In this order, each step only on what the previous ones let through:
 * <ol>
 * <li>the token is a compact JWS no longer than {@link #MAX_LENGTH}; its header is read alone first, so that
 *     {@code alg: none}, HMAC algorithms, encrypted tokens and algorithms the configuration does not allow are refused
 *     before any key is looked up (HS256 keyed with the issuer's public key, the algorithm confusion attack, never
 *     meets a key); a {@code crit} header is refused (no extension is understood);</li>
 * <li>{@code iss} is exactly the configured issuer (unverified yet: a token of another issuer costs no fetch);</li>
 * <li>the key is the issuer's key with the token's {@code kid}, from the JWKS found by discovery (see
 *     {@link IssuerKeys} for the cache and its refresh), of the type the algorithm needs, meant for signatures; keys
 *     or URLs in the token's own header ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}) are never used;</li>
 * <li>the signature verifies;</li>
 * <li>{@code sub}, {@code aud}, {@code exp} and {@code iat} are present; {@code aud} contains the audience; {@code exp}
 *     is not past, {@code nbf} and {@code iat} are not ahead, each within the clock skew;</li>
 * <li>the tenant claim, if present, is a string; the groups claim, if present, a string or a list of strings.</li>
 * </ol>
 * Thread-safe; one instance per issuer, kept for the server's life so that its key cache is.
 */
public final class OidcVerifier {
    /** Longer than any token a real issuer sends; longer ones are refused before they are decoded. */
    public static final int MAX_LENGTH = 16 * 1024;

    private final OidcConfig config;
    private final Clock clock;
    private final IssuerKeys keys;

    public OidcVerifier(OidcConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.keys = new IssuerKeys(config, clock, new IssuerHttp(config.httpTimeout()));
    }

    public OidcConfig config() { return config; }

    /**
     * Whether {@code credential} has the form of a compact JWS (three base64url parts separated by dots), so that an
     * authenticator can tell a JWT from an opaque API token without verifying anything. Says nothing of validity.
     */
    public static boolean isJwtForm(String credential) {
        if (credential == null || credential.length() > MAX_LENGTH) return false;
        String[] parts = credential.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) return false;
        for (String p : parts) {
            if (!p.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_')) return false;
        }
        return true;
    }

    /** The identity {@code token} (a compact JWS, without "Bearer ") names; refused with an {@link OidcException}. */
    public OidcIdentity verify(String token) {
        if (token == null || token.isEmpty()) throw new OidcException(MALFORMED, null, "no token");
        if (token.length() > MAX_LENGTH) {
            throw new OidcException(MALFORMED, String.valueOf(token.length()), "longer than " + MAX_LENGTH + " characters");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) throw new OidcException(ALGORITHM_NOT_ALLOWED, "JWE", "an encrypted token (JWE) is not accepted");
        if (parts.length != 3) {
            throw new OidcException(MALFORMED, String.valueOf(parts.length), "a compact JWS has 3 parts separated by '.' (got " + parts.length + ")");
        }
        JWSHeader header = header(parts[0]);
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new OidcException(MALFORMED, null, "not a signed JWT: " + e.getMessage(), e);
        }
        String iss = claims.getIssuer();
        if (iss == null) throw new OidcException(MISSING_CLAIM, "iss", "the token has no iss");
        if (!iss.equals(config.issuer())) {
            throw new OidcException(WRONG_ISSUER, iss, "iss is " + iss + ", expected exactly " + config.issuer());
        }
        verifySignature(jwt, header);
        return identity(claims);
    }

    private JWSHeader header(String part) {
        Header h;
        try {
            h = Header.parse(new Base64URL(part));
        } catch (ParseException e) {
            throw new OidcException(MALFORMED, null, "header: " + e.getMessage(), e);
        }
        String alg = h.getAlgorithm() == null ? null : h.getAlgorithm().getName();
        if (h instanceof PlainHeader) throw new OidcException(ALGORITHM_NOT_ALLOWED, "none", "alg none: the token is not signed");
        if (h instanceof JWEHeader) throw new OidcException(ALGORITHM_NOT_ALLOWED, alg, "an encrypted token (JWE) is not accepted");
        if (!(h instanceof JWSHeader jws)) throw new OidcException(MALFORMED, alg, "not a JWS header");
        if (!config.allowedAlgorithms().contains(alg)) {
            throw new OidcException(ALGORITHM_NOT_ALLOWED, alg, "alg " + alg + " is not allowed (allowed: "
                    + new java.util.TreeSet<>(config.allowedAlgorithms()) + ")");
        }
        if (jws.getCriticalParams() != null && !jws.getCriticalParams().isEmpty()) {
            throw new OidcException(MALFORMED, String.join(",", jws.getCriticalParams()),
                    "critical header parameters " + jws.getCriticalParams() + " are not understood");
        }
        return jws;
    }

    private void verifySignature(SignedJWT jwt, JWSHeader header) {
        String kid = header.getKeyID();
        JWSAlgorithm alg = header.getAlgorithm();
        List<JWK> candidates = keys.candidates(kid).stream().filter(k -> fits(k, alg)).toList();
        if (candidates.isEmpty()) {
            if (kid == null) {
                throw new OidcException(UNKNOWN_KEY_ID, null, "the token names no kid and no key of " + config.issuer()
                        + " fits " + alg);
            }
            throw new OidcException(UNKNOWN_KEY_ID, kid, "no key " + kid + " for " + alg + " in the JWKS of " + config.issuer());
        }
        for (JWK key : candidates) {
            if (verifies(jwt, key, alg)) return;
        }
        throw new OidcException(BAD_SIGNATURE, kid, "the signature does not verify with key " + (kid == null ? "(any)" : kid));
    }

    /** A key signs with {@code alg} when its type fits, its curve too, it is for signatures and names no other alg. */
    private static boolean fits(JWK key, JWSAlgorithm alg) {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) return false;
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())) return false;
        return switch (key) {
            case RSAKey r -> JWSAlgorithm.Family.RSA.contains(alg);
            case ECKey e -> (alg.equals(JWSAlgorithm.ES256) && Curve.P_256.equals(e.getCurve()))
                    || (alg.equals(JWSAlgorithm.ES384) && Curve.P_384.equals(e.getCurve()));
            case OctetKeyPair o -> alg.equals(JWSAlgorithm.EdDSA) && Curve.Ed25519.equals(o.getCurve());
            default -> false;
        };
    }

    private static boolean verifies(SignedJWT jwt, JWK key, JWSAlgorithm alg) {
        try {
            return switch (key) {
                case RSAKey r -> jwt.verify(new RSASSAVerifier(r));
                case ECKey e -> jwt.verify(new ECDSAVerifier(e));
                case OctetKeyPair o -> Ed25519Check.verify(o, jwt.getSigningInput(), jwt.getSignature().decode());
                default -> false;
            };
        } catch (JOSEException | GeneralSecurityException | IllegalStateException e) {
            return false; // a key the library cannot use, or a signature of the wrong size: it does not verify
        }
    }

    private OidcIdentity identity(JWTClaimsSet claims) {
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) throw new OidcException(MISSING_CLAIM, "sub", "the token has no sub");
        List<String> aud = claims.getAudience();
        if (aud == null || aud.isEmpty()) throw new OidcException(MISSING_CLAIM, "aud", "the token has no aud");
        Date exp = claims.getExpirationTime();
        if (exp == null) throw new OidcException(MISSING_CLAIM, "exp", "the token has no exp");
        Date iat = claims.getIssueTime();
        if (iat == null) throw new OidcException(MISSING_CLAIM, "iat", "the token has no iat");
        if (!aud.contains(config.audience())) {
            throw new OidcException(WRONG_AUDIENCE, String.join(",", aud), "aud is " + aud + ", which does not contain "
                    + config.audience());
        }
        Instant now = clock.instant();
        Instant expiry = exp.toInstant();
        if (now.isAfter(expiry.plus(config.clockSkew()))) {
            throw new OidcException(EXPIRED, expiry.toString(), "expired at " + expiry + " (now " + now + ", skew "
                    + config.clockSkew().toSeconds() + " s)");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(config.clockSkew()))) {
            throw new OidcException(NOT_YET_VALID, nbf.toInstant().toString(), "not valid before " + nbf.toInstant()
                    + " (now " + now + ")");
        }
        if (now.isBefore(iat.toInstant().minus(config.clockSkew()))) {
            throw new OidcException(NOT_YET_VALID, iat.toInstant().toString(), "issued in the future, at "
                    + iat.toInstant() + " (now " + now + ")");
        }
        return new OidcIdentity(claims.getIssuer(), sub, tenant(claims), groups(claims), expiry);
    }

    private String tenant(JWTClaimsSet claims) {
        Object t = claims.getClaim(config.tenantClaim());
        if (t == null) return null;
        if (!(t instanceof String s) || s.isBlank()) {
            throw new OidcException(INVALID_CLAIM, config.tenantClaim(), "claim " + config.tenantClaim()
                    + " must be a non-empty string (got " + describe(t) + ")");
        }
        return s;
    }

    private List<String> groups(JWTClaimsSet claims) {
        Object g = claims.getClaim(config.groupsClaim());
        if (g == null) return List.of();
        if (g instanceof String s) return List.of(s);
        if (g instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new OidcException(INVALID_CLAIM, config.groupsClaim(), "claim " + config.groupsClaim()
                            + " must list strings (got " + describe(o) + " in it)");
                }
                out.add(s);
            }
            return out;
        }
        throw new OidcException(INVALID_CLAIM, config.groupsClaim(), "claim " + config.groupsClaim()
                + " must be a string or a list of strings (got " + describe(g) + ")");
    }

    private static String describe(Object v) {
        return v instanceof Map<?, ?> ? "an object" : v instanceof List<?> ? "a list" : String.valueOf(v);
    }

    @Override
    public String toString() {
        return "OidcVerifier[" + config.issuer() + ", audience " + config.audience() + "]";
    }
}
