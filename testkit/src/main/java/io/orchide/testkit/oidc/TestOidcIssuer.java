package io.orchide.testkit.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID Connect issuer on loopback for tests, on the JDK's HTTP server: discovery
 * ({@code <issuer>/.well-known/openid-configuration}), the JWKS (RSA, EC and Ed25519 keys with their kid), a token
 * endpoint and the OAuth 2.0 device authorization grant (RFC 8628). The test plays the user: it approves, denies or
 * expires a pending device code by its user code. It also mints tokens of any shape ({@link #token()}) for negative
 * tests, and rotates its keys. Tokens' times come from the clock it is given, so that a test's verifier and issuer
 * agree on "now".
 *
 * <pre>{@code
 * try (TestOidcIssuer issuer = TestOidcIssuer.start(clock)) {
 *     String jwt = issuer.token().subject("alice").audience("orchide").compact();
 *     String expired = issuer.token().expiresAt(clock.instant().minusSeconds(60)).compact();
 * }
 * }</pre>
 */
public final class TestOidcIssuer implements AutoCloseable {
    public static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/oidc";

    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String issuer;
    private final List<SigningKey> published = new CopyOnWriteArrayList<>();
    private volatile SigningKey current;
    private volatile String discoveryIssuer;
    private volatile int intervalSeconds = 5;
    private volatile Duration deviceCodeLifetime = Duration.ofMinutes(10);
    private final AtomicInteger slowDowns = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final Map<String, DeviceGrant> grants = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private boolean closed;

    /** Made once per test JVM: a 2048-bit RSA key takes a good part of a second on a loaded machine. */
    private static final class InitialKeys {
        static final SigningKey RSA = SigningKey.rsa("rsa-1");
        static final SigningKey EC = SigningKey.ec("ec-1", "ES256");
    }

    /** A device code's state at the issuer. */
    private static final class DeviceGrant {
        final String deviceCode;
        final String userCode;
        final String clientId;
        final Instant expires;
        volatile String outcome = "pending";
        volatile String subject;
        volatile Map<String, Object> claims = Map.of();

        DeviceGrant(String deviceCode, String userCode, String clientId, Instant expires) {
            this.deviceCode = deviceCode;
            this.userCode = userCode;
            this.clientId = clientId;
            this.expires = expires;
        }
    }

    private TestOidcIssuer(Clock clock) throws IOException {
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
        this.discoveryIssuer = issuer;
        this.current = InitialKeys.RSA;
        published.add(current);
        published.add(InitialKeys.EC);
        server.createContext(PATH + "/.well-known/openid-configuration", this::discovery);
        server.createContext(PATH + "/jwks", this::jwks);
        server.createContext(PATH + "/device", this::deviceAuthorization);
        server.createContext(PATH + "/token", this::token);
        server.start();
    }

    /** Starts an issuer with an RSA key {@code rsa-1} (RS256, the one it signs with) and an EC key {@code ec-1}. */
    public static TestOidcIssuer start(Clock clock) {
        try {
            return new TestOidcIssuer(clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test OIDC issuer", e);
        }
    }

    /** The issuer identifier, exactly as tokens carry it in {@code iss}: {@code http://127.0.0.1:PORT/oidc}. */
    public String issuer() { return issuer; }

    /** The key tokens are signed with unless a test says otherwise. */
    public SigningKey currentKey() { return current; }

    /** The keys the JWKS lists, in order. */
    public List<SigningKey> publishedKeys() { return List.copyOf(published); }

    /** Adds {@code key} to the JWKS. */
    public void publish(SigningKey key) {
        published.add(key);
    }

    /** Removes the key {@code kid} from the JWKS. */
    public void retire(String kid) {
        published.removeIf(k -> k.kid().equals(kid));
    }

    /** A key rotation: a new RSA key named {@code kid} is published and signs from now on; the old one stays listed. */
    public SigningKey rotate(String kid) {
        SigningKey next = SigningKey.rsa(kid);
        published.add(next);
        current = next;
        return next;
    }

    /** Makes discovery name {@code other} as its issuer (a discovery document that does not match). */
    public void discoveryIssuer(String other) {
        this.discoveryIssuer = other;
    }

    public int discoveryRequests() { return discoveryRequests.get(); }

    public int jwksRequests() { return jwksRequests.get(); }

    public int tokenRequests() { return tokenRequests.get(); }

    /**
     * A good token of this issuer, signed with {@link #currentKey()}: {@code iss} this issuer, {@code sub} user-1,
     * {@code aud} orchide, {@code iat} now and {@code exp} in an hour by the clock; change anything on the builder.
     */
    public TokenBuilder token() {
        Instant now = clock.instant();
        return new TokenBuilder(current).issuer(issuer).subject("user-1").audience("orchide").issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(1)));
    }

    // ---- the device authorization grant (RFC 8628) ----

    /** The polling interval the device authorization response asks for, in seconds (5 unless set). */
    public void deviceInterval(int seconds) {
        this.intervalSeconds = seconds;
    }

    public void deviceCodeLifetime(Duration lifetime) {
        this.deviceCodeLifetime = lifetime;
    }

    /** The next {@code n} polls of a pending device code are answered {@code slow_down}. */
    public void slowDownNext(int n) {
        slowDowns.set(n);
    }

    /** The user codes handed out and not yet approved, denied or expired, oldest first. */
    public List<String> pendingUserCodes() {
        List<DeviceGrant> pending = new ArrayList<>();
        for (DeviceGrant g : grants.values()) if (g.outcome.equals("pending")) pending.add(g);
        pending.sort(java.util.Comparator.comparing(g -> g.expires));
        return pending.stream().map(g -> g.userCode).toList();
    }

    /** The user behind {@code userCode} signs in as {@code subject}; the tokens carry {@code claims} as well. */
    public void approve(String userCode, String subject, Map<String, Object> claims) {
        DeviceGrant g = grant(userCode);
        g.subject = subject;
        g.claims = Map.copyOf(claims);
        g.outcome = "approved";
    }

    public void approve(String userCode, String subject) {
        approve(userCode, subject, Map.of());
    }

    /** The user refuses the request: polls get {@code access_denied}. */
    public void deny(String userCode) {
        grant(userCode).outcome = "access_denied";
    }

    /** The device code runs out before anyone approves it: polls get {@code expired_token}. */
    public void expire(String userCode) {
        grant(userCode).outcome = "expired_token";
    }

    private DeviceGrant grant(String userCode) {
        return grants.values().stream().filter(g -> g.userCode.equals(userCode)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no device code with user code " + userCode));
    }

    private void discovery(HttpExchange ex) throws IOException {
        discoveryRequests.incrementAndGet();
        ObjectNode d = JSON.createObjectNode();
        d.put("issuer", discoveryIssuer);
        d.put("jwks_uri", issuer + "/jwks");
        d.put("token_endpoint", issuer + "/token");
        d.put("device_authorization_endpoint", issuer + "/device");
        d.putArray("response_types_supported").add("code");
        d.putArray("subject_types_supported").add("public");
        ArrayNode algs = d.putArray("id_token_signing_alg_values_supported");
        algs.add("RS256").add("ES256").add("EdDSA");
        d.putArray("grant_types_supported").add(DEVICE_GRANT);
        reply(ex, 200, d);
    }

    private void jwks(HttpExchange ex) throws IOException {
        jwksRequests.incrementAndGet();
        ObjectNode set = JSON.createObjectNode();
        ArrayNode keys = set.putArray("keys");
        for (SigningKey k : published) keys.add(k.jwk());
        reply(ex, 200, set);
    }

    private void deviceAuthorization(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            reply(ex, 405, error("invalid_request", "POST only"));
            return;
        }
        Map<String, String> form = form(ex);
        String clientId = form.get("client_id");
        if (clientId == null || clientId.isBlank()) {
            reply(ex, 400, error("invalid_client", "client_id is missing"));
            return;
        }
        String deviceCode = randomCode(24);
        String userCode = userCode();
        grants.put(deviceCode, new DeviceGrant(deviceCode, userCode, clientId, clock.instant().plus(deviceCodeLifetime)));
        ObjectNode r = JSON.createObjectNode();
        r.put("device_code", deviceCode);
        r.put("user_code", userCode);
        r.put("verification_uri", issuer + "/activate");
        r.put("verification_uri_complete", issuer + "/activate?user_code=" + userCode);
        r.put("expires_in", deviceCodeLifetime.toSeconds());
        r.put("interval", intervalSeconds);
        reply(ex, 200, r);
    }

    private void token(HttpExchange ex) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = form(ex);
        if (!DEVICE_GRANT.equals(form.get("grant_type"))) {
            reply(ex, 400, error("unsupported_grant_type", "only " + DEVICE_GRANT));
            return;
        }
        DeviceGrant g = grants.get(form.getOrDefault("device_code", ""));
        if (g == null || !g.clientId.equals(form.get("client_id"))) {
            reply(ex, 400, error("invalid_grant", "unknown device code for this client"));
            return;
        }
        if (g.outcome.equals("pending") && !clock.instant().isBefore(g.expires)) g.outcome = "expired_token";
        switch (g.outcome) {
            case "pending" -> {
                if (slowDowns.getAndUpdate(n -> Math.max(0, n - 1)) > 0) reply(ex, 400, error("slow_down", null));
                else reply(ex, 400, error("authorization_pending", null));
            }
            case "approved" -> {
                grants.remove(g.deviceCode); // a device code gives its tokens once
                Instant now = clock.instant();
                TokenBuilder id = token().subject(g.subject).audience(g.clientId);
                TokenBuilder access = token().subject(g.subject).claim("client_id", g.clientId);
                g.claims.forEach(id::claim);
                g.claims.forEach(access::claim);
                ObjectNode r = JSON.createObjectNode();
                r.put("access_token", access.compact());
                r.put("id_token", id.compact());
                r.put("token_type", "Bearer");
                r.put("expires_in", Duration.between(now, now.plus(Duration.ofHours(1))).toSeconds());
                reply(ex, 200, r);
            }
            default -> reply(ex, 400, error(g.outcome, null));
        }
    }

    private static ObjectNode error(String code, String description) {
        ObjectNode e = JSON.createObjectNode();
        e.put("error", code);
        if (description != null) e.put("error_description", description);
        return e;
    }

    private static Map<String, String> form(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    private static void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private String randomCode(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return SigningKey.b64(b);
    }

    /** Eight letters from an alphabet without look-alikes, as RFC 8628 section 6.1 suggests: {@code WDJB-MJHT}. */
    private String userCode() {
        String alphabet = "BCDFGHJKLMNPQRSTVWXZ";
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == 4) s.append('-');
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        server.stop(0);
        executor.close();
    }

    /** For a test's messages: the issuer and what it was asked. */
    @Override
    public String toString() {
        Map<String, Integer> asked = new HashMap<>();
        asked.put("discovery", discoveryRequests.get());
        asked.put("jwks", jwksRequests.get());
        asked.put("token", tokenRequests.get());
        return "TestOidcIssuer[" + issuer + ", keys " + published + ", requests " + asked + "]";
    }
}
