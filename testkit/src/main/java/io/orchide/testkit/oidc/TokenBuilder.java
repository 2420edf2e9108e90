package io.orchide.testkit.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A compact JWS of any shape, for good tokens and for every kind of bad one: claims set or removed, any header, signed
 * by any {@link SigningKey}, with HMAC over any secret ({@code HS256} with a public key's bytes: the algorithm
 * confusion attack), or not signed at all ({@code alg: none}). Starts from the claims a good token of its issuer has.
 */
public final class TokenBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode header = JSON.createObjectNode();
    private final ObjectNode claims = JSON.createObjectNode();
    private SigningKey key;
    private byte[] hmacSecret;
    private boolean unsigned;
    private String signatureOverride;

    TokenBuilder(SigningKey key) {
        this.key = key;
    }

    /** Sets a claim to any JSON value (a String, a number, a List, a Map...). */
    public TokenBuilder claim(String name, Object value) {
        claims.set(name, JSON.valueToTree(value));
        return this;
    }

    public TokenBuilder without(String claim) {
        claims.remove(claim);
        return this;
    }

    public TokenBuilder issuer(String iss) { return claim("iss", iss); }

    public TokenBuilder subject(String sub) { return claim("sub", sub); }

    public TokenBuilder audience(Object aud) { return claim("aud", aud); }

    public TokenBuilder issuedAt(Instant t) { return claim("iat", t.getEpochSecond()); }

    public TokenBuilder expiresAt(Instant t) { return claim("exp", t.getEpochSecond()); }

    public TokenBuilder notBefore(Instant t) { return claim("nbf", t.getEpochSecond()); }

    /** Sets a header parameter; {@code kid} and {@code alg} default to the key's. */
    public TokenBuilder header(String name, Object value) {
        header.set(name, JSON.valueToTree(value));
        return this;
    }

    public TokenBuilder kid(String kid) { return header("kid", kid); }

    public TokenBuilder withoutKid() {
        header.putNull("kid");
        return this;
    }

    /** Signs with {@code signer} (its algorithm and kid unless the header says otherwise). */
    public TokenBuilder signedWith(SigningKey signer) {
        this.key = Objects.requireNonNull(signer);
        this.hmacSecret = null;
        this.unsigned = false;
        return this;
    }

    /** {@code alg: HS256}, the MAC keyed with {@code secret}. */
    public TokenBuilder hs256(byte[] secret) {
        this.hmacSecret = secret.clone();
        this.unsigned = false;
        return this;
    }

    /** {@code alg: none} and an empty signature. */
    public TokenBuilder unsigned() {
        this.unsigned = true;
        return this;
    }

    /** Puts {@code base64url} in place of the signature (a signature made over other bytes). */
    public TokenBuilder signature(String base64url) {
        this.signatureOverride = base64url;
        return this;
    }

    /** The compact serialisation: {@code header.payload.signature}. */
    public String compact() {
        ObjectNode h = JSON.createObjectNode();
        if (unsigned) h.put("alg", "none");
        else if (hmacSecret != null) h.put("alg", "HS256");
        else {
            h.put("alg", key.alg());
            h.put("kid", key.kid());
        }
        h.put("typ", "JWT");
        header.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) h.remove(f.getKey());
            else h.set(f.getKey(), f.getValue());
        });
        String input = SigningKey.b64(bytes(h)) + "." + SigningKey.b64(bytes(claims));
        byte[] in = input.getBytes(StandardCharsets.US_ASCII);
        String sig;
        if (signatureOverride != null) sig = signatureOverride;
        else if (unsigned) sig = "";
        else if (hmacSecret != null) sig = SigningKey.b64(hmac(hmacSecret, in));
        else sig = SigningKey.b64(key.sign(in));
        return input + "." + sig;
    }

    /** Claims of the compact token {@code jwt}, unverified: for tests that take a good token apart. */
    public static ObjectNode payload(String jwt) {
        try {
            return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a JWT payload", e);
        }
    }

    /** {@code jwt} with its payload replaced by {@code claims} and its signature kept: a tampered token. */
    public static String withPayload(String jwt, ObjectNode claims) {
        String[] parts = jwt.split("\\.");
        return parts[0] + "." + SigningKey.b64(bytes(claims)) + "." + parts[2];
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] secret, byte[] input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
