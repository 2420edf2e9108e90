package io.orchide.link.secure;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Ed25519 signing and verification with the JDK. */
final class Signatures {
    private Signatures() { }

    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance(KeyFiles.ALGORITHM);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an " + KeyFiles.ALGORITHM + " key", e);
        }
    }

    /** Whether {@code pub} is the public half of {@code priv}: it verifies what {@code priv} signed. */
    static boolean matches(PrivateKey priv, PublicKey pub) {
        byte[] probe = "orchide key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Signature v = Signature.getInstance(KeyFiles.ALGORITHM);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sign(priv, probe));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
