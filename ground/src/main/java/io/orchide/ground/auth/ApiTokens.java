package io.orchide.ground.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Ground's API tokens: {@value #PREFIX} and 256 random bits (base64url), shown once when made; ground keeps only
 * their SHA-256. A verified token is kept in a {@link TokenCache} that every change to tokens, principals, bindings
 * or tenants empties at once, here and on every replica ({@link AuthChanges}): a revoked token is refused at the next
 * request anywhere, and while a replica cannot be sure to hear of changes it reads the database on every request.
 * Expiry is checked on every request. The time a token was last used is written at most once per
 * {@link #LAST_USED_GRAIN}, by a thread of its own ({@link LastUse}): no request waits for it.
 */
public final class ApiTokens implements Authenticator, AutoCloseable {
    /** How every API token starts: tells it from a JWT, and lets secret scanners recognise one. */
    public static final String PREFIX = "orch_";
    /** How exact a token's {@code lastUsed} is. */
    public static final Duration LAST_USED_GRAIN = Duration.ofMinutes(1);
    private static final int SECRET_BYTES = 32;
    private static final int SHOWN_PREFIX = PREFIX.length() + 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenCache cache;
    private final LastUse lastUse;
    private final Clock clock;

    public ApiTokens(AuthStore store, Clock clock) {
        this.cache = new TokenCache(store, store.changes());
        this.lastUse = new LastUse(store, LAST_USED_GRAIN);
        this.clock = clock;
    }

    /** A new token's secret (for its owner, once) and what is stored of it. */
    public record Minted(String secret, AuthStore.NewToken stored) {
    }

    /** Makes a token for {@code principal}, valid for {@code ttl} (null: never expires). Nothing is stored yet. */
    public Minted mint(String principal, String name, Duration ttl) {
        return mint(newId(), principal, name, ttl);
    }

    /** As {@link #mint(String, String, Duration)}, with the token's id chosen by the caller ({@link #newId()}). */
    public Minted mint(String id, String principal, String name, Duration ttl) {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Instant now = clock.instant();
        return new Minted(secret, new AuthStore.NewToken(id, hash(secret), secret.substring(0, SHOWN_PREFIX), principal,
                name, now, ttl == null ? null : now.plus(ttl)));
    }

    /** A short random id (12 hex digits), how lists and {@code delete token} name a token. */
    public static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Whether {@code s} has the shape of an API token (it may still be unknown). */
    public static boolean wellFormed(String s) {
        if (!s.startsWith(PREFIX) || s.length() != PREFIX.length() + 43) return false;
        for (int i = PREFIX.length(); i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '-' && ch != '_') return false;
        }
        return true;
    }

    @Override
    public Optional<Caller> authenticate(String credential) {
        if (!credential.startsWith(PREFIX)) return Optional.empty();
        if (!wellFormed(credential)) throw new Unauthenticated("malformed API token");
        AuthStore.TokenRow t = cache.find(hash(credential))
                .orElseThrow(() -> new Unauthenticated("unknown API token"));
        Instant now = clock.instant();
        if (t.revoked() != null) throw new Unauthenticated("API token " + t.id() + " was revoked at " + t.revoked());
        if (t.expires() != null && !now.isBefore(t.expires())) {
            throw new Unauthenticated("API token " + t.id() + " expired at " + t.expires());
        }
        lastUse.used(t.id(), t.lastUsed(), now);
        return Optional.of(new Caller(t.principal(), t.principalName(), t.kind(), t.id(), t.bindings()));
    }

    /** Writes the last uses not written yet. */
    @Override
    public void close() {
        lastUse.close();
    }
}
