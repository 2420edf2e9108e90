package io.orchide.client.oidc;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth 2.0 device authorization grant (RFC 8628) against an OpenID Connect issuer, for a login from a terminal:
 * {@link #authorize} asks the issuer for a device code and the user code the user types at the verification address;
 * {@link #await} polls the token endpoint until the user has approved (the tokens), refused ({@code access_denied})
 * or let the code expire ({@code expired_token}). Polls are at least the issuer's interval apart, five seconds more
 * after each {@code slow_down} (RFC 8628 3.5), and stop at the code's expiry by the injected clock even if the issuer
 * never says so. The waiting goes through {@link Sleeper}, so that a test runs the loop without waiting.
 */
public final class DeviceFlow {
    /** RFC 8628 3.2: the interval when the issuer gives none. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** The least wait between polls, whatever the issuer says. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    /** RFC 8628 3.5: how much longer to wait after each {@code slow_down}. */
    public static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    /** Waits between polls. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d);
    }

    private final String issuer;
    private final String clientId;
    private final Clock clock;
    private final Sleeper sleeper;
    private final OAuthHttp http = new OAuthHttp(HTTP_TIMEOUT);
    private IssuerEndpoints endpoints;

    public DeviceFlow(String issuer, String clientId, Clock clock, Sleeper sleeper) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The issuer's device and token endpoints, from its discovery document (asked once). */
    public IssuerEndpoints endpoints() {
        if (endpoints == null) endpoints = IssuerEndpoints.discover(http, issuer);
        return endpoints;
    }

    /** Asks for a device code (RFC 8628 3.1) with {@code scope} (space-separated, e.g. {@code openid}). */
    public DeviceAuthorization authorize(String scope) {
        URI at = endpoints().deviceAuthorization();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        if (scope != null && !scope.isBlank()) form.put("scope", scope);
        OAuthHttp.Reply r = http.post(at, form);
        if (r.status() != 200) {
            throw new DeviceFlowException(r.error(), at + " refused the device authorization request: HTTP " + r.status()
                    + OAuthHttp.described(r));
        }
        JsonNode b = r.body();
        String deviceCode = required(at, b, "device_code");
        String userCode = required(at, b, "user_code");
        // draft versions of the RFC, still served by some issuers, call it verification_url
        String verification = b.hasNonNull("verification_uri") ? b.get("verification_uri").asText()
                : required(at, b, "verification_url");
        long expiresIn = b.path("expires_in").asLong(0);
        if (expiresIn <= 0) throw new DeviceFlowException("", at + ": expires_in is missing or not positive (got " + b.get("expires_in") + ")");
        // an interval below a second (0 from a broken issuer) would poll without pause until the code expires
        Duration interval = b.path("interval").canConvertToLong()
                ? Duration.ofSeconds(Math.max(MIN_INTERVAL.toSeconds(), b.get("interval").asLong())) : DEFAULT_INTERVAL;
        String complete = b.path("verification_uri_complete").asText(null);
        return new DeviceAuthorization(deviceCode, userCode, uri(at, verification), complete == null ? null : uri(at, complete),
                clock.instant().plusSeconds(expiresIn), interval);
    }

    /** Polls until the user approves; refused or expired logins are a {@link DeviceFlowException} saying which. */
    public DeviceTokens await(DeviceAuthorization authorization) {
        URI at = endpoints().token();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT_TYPE);
        form.put("device_code", authorization.deviceCode());
        form.put("client_id", clientId);
        Duration interval = authorization.interval();
        while (true) {
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceFlowException("", "the login was interrupted before it was approved");
            }
            Instant now = clock.instant();
            if (!now.isBefore(authorization.expires())) throw expired(authorization);
            OAuthHttp.Reply r = http.post(at, form);
            if (r.status() == 200) return tokens(at, r.body());
            switch (r.error()) {
                case "authorization_pending" -> {
                }
                case "slow_down" -> interval = interval.plus(SLOW_DOWN_STEP);
                case "access_denied" -> throw new DeviceFlowException("access_denied",
                        "the login was refused at " + issuer + " (access_denied)");
                case "expired_token" -> throw expired(authorization);
                default -> throw new DeviceFlowException(r.error(), at + " answered HTTP " + r.status() + OAuthHttp.described(r));
            }
        }
    }

    private DeviceFlowException expired(DeviceAuthorization a) {
        return new DeviceFlowException("expired_token", "the code " + a.userCode() + " expired at " + a.expires()
                + " before it was approved; log in again for a new one");
    }

    private static DeviceTokens tokens(URI at, JsonNode b) {
        String access = required(at, b, "access_token");
        String type = b.path("token_type").asText("Bearer");
        if (!type.equalsIgnoreCase("Bearer")) {
            throw new DeviceFlowException("", at + ": token_type " + type + " is not Bearer");
        }
        String id = b.hasNonNull("id_token") ? b.get("id_token").asText() : null;
        Duration expiresIn = b.path("expires_in").canConvertToLong() ? Duration.ofSeconds(b.get("expires_in").asLong()) : null;
        return new DeviceTokens(access, id, type, expiresIn);
    }

    private static String required(URI at, JsonNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new DeviceFlowException("", at + ": the reply has no " + field);
        }
        return v.asText();
    }

    private static URI uri(URI at, String value) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new DeviceFlowException("", at + ": not a URL: " + value);
        }
    }
}
