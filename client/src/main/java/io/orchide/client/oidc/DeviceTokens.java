package io.orchide.client.oidc;

import java.time.Duration;

/**
 * The tokens a device login ends with (RFC 6749 5.1 with OIDC's {@code id_token}). {@link #toString()} shows none.
 *
 * @param idToken   null when the issuer sent no ID token (the {@code openid} scope not granted)
 * @param expiresIn null when the issuer did not say
 */
public record DeviceTokens(String accessToken, String idToken, String tokenType, Duration expiresIn) {
    /**
     * The token a server is given: the ID token when there is one (a JWT for this client, the OIDC way to say who the
     * user is, which ground verifies with the issuer's keys), else the access token.
     */
    public String bearer() {
        return idToken != null ? idToken : accessToken;
    }

    @Override
    public String toString() {
        return "DeviceTokens[tokenType=" + tokenType + ", idToken=" + (idToken == null ? "none" : "(set)")
                + ", expiresIn=" + expiresIn + "]";
    }
}
