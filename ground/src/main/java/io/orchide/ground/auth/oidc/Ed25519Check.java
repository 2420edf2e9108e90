package io.orchide.ground.auth.oidc;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * EdDSA (Ed25519) signatures checked with the JDK's own Ed25519: nimbus-jose-jwt's verifier for it needs Google Tink,
 * which ground does not carry.
 */
final class Ed25519Check {
    private Ed25519Check() {
    }

    /** Whether {@code signature} over {@code input} verifies with {@code key}; false for a key that is not Ed25519. */
    static boolean verify(OctetKeyPair key, byte[] input, byte[] signature) throws GeneralSecurityException {
        if (!Curve.Ed25519.equals(key.getCurve())) return false;
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(publicKey(key.getX().decode()));
        s.update(input);
        return s.verify(signature);
    }

    /** RFC 8032 5.1.3: y little-endian, the top bit of the last byte holding x's parity. */
    static PublicKey publicKey(byte[] encoded) throws GeneralSecurityException {
        if (encoded.length != 32) throw new GeneralSecurityException("an Ed25519 key is 32 bytes (got " + encoded.length + ")");
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) be[i] = encoded[31 - i];
        boolean xOdd = (be[0] & 0x80) != 0;
        be[0] &= 0x7f;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, be));
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }
}
