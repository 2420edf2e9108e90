package io.orchide.ground.auth.oidc;

import java.util.Locale;

/**
 * A bearer JWT refused by {@link OidcVerifier}: why ({@link #reason()}) and the offending value ({@link #value()}: the
 * issuer, audience, algorithm, key id, time or claim name that was wrong; never the token itself).
 */
public final class OidcException extends RuntimeException {
    /** Why a token was refused. */
    public enum Reason {
        /** Not a compact JWS: parts, base64url, JSON, or a claim of the wrong JSON type for its registered name. */
        MALFORMED,
        /** {@code none}, an HMAC algorithm, an encrypted token, or an algorithm the configuration does not allow. */
        ALGORITHM_NOT_ALLOWED,
        /** {@code iss} is not exactly the configured issuer. */
        WRONG_ISSUER,
        /** {@code aud} does not contain the configured audience. */
        WRONG_AUDIENCE,
        /** {@code exp} is past, beyond the clock skew. */
        EXPIRED,
        /** {@code nbf} or {@code iat} is ahead of now, beyond the clock skew. */
        NOT_YET_VALID,
        /** A required claim is missing: {@code iss}, {@code sub}, {@code aud}, {@code exp}, {@code iat}. */
        MISSING_CLAIM,
        /** The tenant or groups claim is present but not of the expected shape. */
        INVALID_CLAIM,
        /** No key of the issuer's JWKS has the token's key id, also after a refresh of the JWKS. */
        UNKNOWN_KEY_ID,
        /** The signature does not verify with the issuer's key. */
        BAD_SIGNATURE,
        /**
         * The issuer's keys could not be had (unreachable, discovery naming another issuer or no jwks_uri, a JWKS
         * that is not one) and none are held: the token could not be checked. Not the bearer's fault; ground may
         * answer it as a service problem rather than a bad credential.
         */
        KEYS_UNAVAILABLE;

        /** The reason as an API code: {@code wrong_issuer}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;
    private final String value;

    public OidcException(Reason reason, String value, String message) {
        this(reason, value, message, null);
    }

    public OidcException(Reason reason, String value, String message, Throwable cause) {
        super(reason.code() + ": " + message, cause);
        this.reason = reason;
        this.value = value;
    }

    public Reason reason() { return reason; }

    /** The offending value, as the token or the issuer gave it; null where there is none (a missing signature). */
    public String value() { return value; }
}
