package io.orchide.ground.auth.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The issuer's public keys: the JWKS found through discovery, fetched on first use and kept for the configured cache
 * time. A token naming a key id that is not in the set triggers one refresh, so that a key the issuer has just rotated
 * in is found; fetches (of any cause) are at least the minimum refresh interval apart, so a stream of tokens with
 * made-up key ids costs the issuer one request per interval. When a refresh fails, the keys already held are kept
 * and used (a short issuer outage does not lock every user out); with none held, the token cannot be checked.
 */
final class IssuerKeys {
    private static final System.Logger LOG = System.getLogger(IssuerKeys.class.getName());

    private record Snapshot(JWKSet keys, Instant fetched) {
    }

    private final OidcConfig config;
    private final Clock clock;
    private final IssuerHttp http;
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Snapshot snapshot;
    /** Guarded by {@link #fetching}; read without it only to decide whether to take it. */
    private volatile Instant lastAttempt;
    private volatile String lastFailure;
    private volatile URI jwksUri;

    IssuerKeys(OidcConfig config, Clock clock, IssuerHttp http) {
        this.config = config;
        this.clock = clock;
        this.http = http;
    }

    /**
     * The keys to try for a token naming {@code kid} (null: the token names none, and every key is a candidate):
     * from the cache, fetched first when the cache is empty or old, and fetched again once when {@code kid} is not in
     * it. Empty when no key has that id even after the refresh the interval allowed.
     */
    List<JWK> candidates(String kid) {
        Instant now = clock.instant();
        Snapshot s = snapshot;
        if (s == null || !now.isBefore(s.fetched().plus(config.jwksCacheTime()))) s = refresh(s, now);
        List<JWK> found = select(s, kid);
        if (found.isEmpty()) {
            Snapshot again = refresh(s, now);
            if (again != s) found = select(again, kid);
        }
        return found;
    }

    private static List<JWK> select(Snapshot s, String kid) {
        if (kid == null) return s.keys().getKeys();
        JWK k = s.keys().getKeyByKeyId(kid);
        return k == null ? List.of() : List.of(k);
    }

    /**
     * Fetches the JWKS unless the last attempt is less than the minimum interval ago, or another thread fetched it
     * since {@code seen} was read; returns the snapshot to use, {@code seen} itself when nothing newer came.
     */
    private Snapshot refresh(Snapshot seen, Instant now) {
        fetching.lock();
        try {
            Snapshot held = snapshot;
            if (held != seen) return held; // another caller fetched while this one waited
            Instant last = lastAttempt;
            if (last != null && now.isBefore(last.plus(config.jwksMinRefreshInterval()))) {
                if (held == null) {
                    throw new OidcException(OidcException.Reason.KEYS_UNAVAILABLE, config.issuer(),
                            "no keys of " + config.issuer() + " could be fetched: " + lastFailure);
                }
                return held;
            }
            lastAttempt = now;
            try {
                JWKSet keys = fetch();
                Snapshot next = new Snapshot(keys, now);
                snapshot = next;
                lastFailure = null;
                LOG.log(System.Logger.Level.DEBUG, "fetched {0} keys of {1}", keys.size(), config.issuer());
                return next;
            } catch (IOException | ParseException e) {
                lastFailure = e.getMessage();
                jwksUri = null; // discovery is asked again next time: the JWKS may have moved
                if (held == null) {
                    throw new OidcException(OidcException.Reason.KEYS_UNAVAILABLE, config.issuer(),
                            "no keys of " + config.issuer() + " could be fetched: " + e.getMessage(), e);
                }
                LOG.log(System.Logger.Level.WARNING, "keys of {0} could not be refreshed, using those fetched at {1}: {2}",
                        config.issuer(), held.fetched(), e.getMessage());
                return held;
            }
        } finally {
            fetching.unlock();
        }
    }

    private JWKSet fetch() throws IOException, ParseException {
        URI uri = jwksUri;
        if (uri == null) {
            uri = discover();
            jwksUri = uri;
        }
        return JWKSet.parse(http.getJson(uri));
    }

    /** The JWKS address from the discovery document, which must name this very issuer (OIDC Discovery 4.3). */
    private URI discover() throws IOException {
        URI at = config.discoveryUri();
        Map<String, Object> doc = http.getJson(at);
        Object issuer = doc.get("issuer");
        if (!config.issuer().equals(issuer)) {
            throw new IOException(at + ": names issuer " + issuer + ", expected exactly " + config.issuer());
        }
        Object jwks = doc.get("jwks_uri");
        if (!(jwks instanceof String s)) throw new IOException(at + ": no jwks_uri (got " + jwks + ")");
        try {
            URI uri = new URI(s);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IOException(at + ": jwks_uri is not http(s) (got " + s + ")");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IOException(at + ": jwks_uri is not a URL (got " + s + ")", e);
        }
    }
}
