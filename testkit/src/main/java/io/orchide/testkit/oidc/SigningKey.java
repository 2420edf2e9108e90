package io.orchide.testkit.oidc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An issuer's asymmetric signing key, made and used with the JDK alone (so that the verifier under test, which uses
 * nimbus-jose-jwt, is checked against an independent signer): its key id, the JWS algorithm it signs with, and its
 * public half as a JWK.
 */
public final class SigningKey {
    private final String kid;
    private final String alg;
    private final KeyPair pair;

    private SigningKey(String kid, String alg, KeyPair pair) {
        this.kid = Objects.requireNonNull(kid, "kid");
        this.alg = Objects.requireNonNull(alg, "alg");
        this.pair = pair;
    }

    /** A 2048-bit RSA key signing with {@code alg}: RS256, RS384, RS512, PS256, PS384 or PS512. */
    public static SigningKey rsa(String kid, String alg) {
        if (!alg.matches("(RS|PS)(256|384|512)")) throw new IllegalArgumentException("not an RSA algorithm: " + alg);
        return new SigningKey(kid, alg, generate("RSA", null, 2048));
    }

    public static SigningKey rsa(String kid) {
        return rsa(kid, "RS256");
    }

    /** An EC key on P-256 (ES256) or P-384 (ES384). */
    public static SigningKey ec(String kid, String alg) {
        String curve = switch (alg) {
            case "ES256" -> "secp256r1";
            case "ES384" -> "secp384r1";
            default -> throw new IllegalArgumentException("not an EC algorithm: " + alg);
        };
        return new SigningKey(kid, alg, generate("EC", new ECGenParameterSpec(curve), 0));
    }

    /** An Ed25519 key (EdDSA). */
    public static SigningKey ed25519(String kid) {
        return new SigningKey(kid, "EdDSA", generate("Ed25519", null, 0));
    }

    private static KeyPair generate(String type, ECGenParameterSpec spec, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(type);
            if (spec != null) g.initialize(spec);
            else if (bits > 0) g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a " + type + " key", e);
        }
    }

    public String kid() { return kid; }

    public String alg() { return alg; }

    public PublicKey publicKey() { return pair.getPublic(); }

    PrivateKey privateKey() { return pair.getPrivate(); }

    /** The same key pair under another key id (a JWKS that names one key twice, a token naming the wrong kid). */
    public SigningKey withKid(String otherKid) {
        return new SigningKey(otherKid, alg, pair);
    }

    /** The public key's bytes as the JWK carries them (RSA: the modulus), for the HS256-with-the-public-key attack. */
    public byte[] publicKeyBytes() {
        return pair.getPublic().getEncoded();
    }

    /** Signs a JWS signing input ({@code header.payload}) with this key's algorithm. */
    byte[] sign(byte[] input) {
        try {
            Signature s = signature(alg);
            s.initSign(pair.getPrivate());
            s.update(input);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + alg, e);
        }
    }

    static Signature signature(String alg) throws GeneralSecurityException {
        return switch (alg) {
            case "RS256" -> Signature.getInstance("SHA256withRSA");
            case "RS384" -> Signature.getInstance("SHA384withRSA");
            case "RS512" -> Signature.getInstance("SHA512withRSA");
            case "PS256" -> pss("SHA-256", MGF1ParameterSpec.SHA256, 32);
            case "PS384" -> pss("SHA-384", MGF1ParameterSpec.SHA384, 48);
            case "PS512" -> pss("SHA-512", MGF1ParameterSpec.SHA512, 64);
            case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
            case "ES384" -> Signature.getInstance("SHA384withECDSAinP1363Format");
            case "EdDSA" -> Signature.getInstance("Ed25519");
            default -> throw new GeneralSecurityException("no signer for " + alg);
        };
    }

    private static Signature pss(String digest, MGF1ParameterSpec mgf, int salt) throws GeneralSecurityException {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec(digest, "MGF1", mgf, salt, 1));
        return s;
    }

    /** The public JWK: kty, kid, use {@code sig}, alg and the key's parameters. */
    public ObjectNode jwk() {
        ObjectNode k = JsonNodeFactory.instance.objectNode();
        switch (pair.getPublic()) {
            case RSAPublicKey r -> {
                k.put("kty", "RSA");
                k.put("n", b64(unsigned(r.getModulus(), 0)));
                k.put("e", b64(unsigned(r.getPublicExponent(), 0)));
            }
            case ECPublicKey e -> {
                int size = alg.equals("ES256") ? 32 : 48;
                k.put("kty", "EC");
                k.put("crv", alg.equals("ES256") ? "P-256" : "P-384");
                k.put("x", b64(unsigned(e.getW().getAffineX(), size)));
                k.put("y", b64(unsigned(e.getW().getAffineY(), size)));
            }
            case EdECPublicKey ed -> {
                k.put("kty", "OKP");
                k.put("crv", "Ed25519");
                // RFC 8037: the RFC 8032 encoding, y little-endian with x's parity in the top bit
                byte[] y = unsigned(ed.getPoint().getY(), 32);
                byte[] le = new byte[32];
                for (int i = 0; i < 32; i++) le[i] = y[31 - i];
                if (ed.getPoint().isXOdd()) le[31] |= (byte) 0x80;
                k.put("x", b64(le));
            }
            default -> throw new IllegalStateException("unexpected key " + pair.getPublic().getAlgorithm());
        }
        k.put("kid", kid);
        k.put("use", "sig");
        k.put("alg", alg);
        return k;
    }

    private static byte[] unsigned(BigInteger v, int size) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) b = Arrays.copyOfRange(b, 1, b.length);
        if (size == 0 || b.length == size) return b;
        byte[] padded = new byte[size];
        System.arraycopy(b, 0, padded, size - b.length, b.length);
        return padded;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + ", " + alg + "]";
    }
}
