package io.orchide.client.oidc;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;

/**
 * The endpoints of an OpenID Connect issuer that a device login needs, from its discovery document
 * ({@code <issuer>/.well-known/openid-configuration}), which must name exactly that issuer.
 */
public record IssuerEndpoints(String issuer, URI deviceAuthorization, URI token) {
    static IssuerEndpoints discover(OAuthHttp http, String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI at = URI.create(base + "/.well-known/openid-configuration");
        JsonNode doc = http.get(at);
        String named = doc.path("issuer").asText(null);
        if (!issuer.equals(named)) {
            throw new DeviceFlowException("", at + " names issuer " + named + ", expected exactly " + issuer);
        }
        String device = doc.path("device_authorization_endpoint").asText(null);
        if (device == null) {
            throw new DeviceFlowException("", issuer + " has no device_authorization_endpoint: it does not offer the "
                    + "device login (RFC 8628); log in with a token instead (orchide login --token T)");
        }
        String token = doc.path("token_endpoint").asText(null);
        if (token == null) throw new DeviceFlowException("", at + " has no token_endpoint");
        return new IssuerEndpoints(issuer, uri(at, "device_authorization_endpoint", device), uri(at, "token_endpoint", token));
    }

    private static URI uri(URI at, String field, String value) {
        try {
            URI u = new URI(value);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) throw new IllegalArgumentException("not http(s)");
            return u;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new DeviceFlowException("", at + ": " + field + " is not an http(s) URL (got " + value + ")");
        }
    }
}
