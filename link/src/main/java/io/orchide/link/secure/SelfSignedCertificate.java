package io.orchide.link.secure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The X.509 certificate TLS needs around an Ed25519 key, made with the JDK alone (DER written here): self-signed,
 * version 3 without extensions, valid from 1970 to 9999-12-31 (RFC 5280's "no well-defined expiration date"). Nothing
 * in it is trusted but the key: each side pins the exact public keys it accepts ({@link PinnedKeyTrust}), so there is
 * no CA to compromise and no date that could lock out a node months out of contact or with a wrong clock. It is made
 * afresh at each start from the key file; only the key is an identity.
 */
public final class SelfSignedCertificate {
    private static final byte[] ED25519 = {0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};

    private SelfSignedCertificate() { }

    public static X509Certificate of(KeyPair kp, String commonName) {
        byte[] serial = new byte[16];
        new SecureRandom().nextBytes(serial);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        byte[] name = seq(tlv(0x31, seq(concat(COMMON_NAME, tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8))))));
        byte[] validity = seq(concat(tlv(0x17, ascii("700101000000Z")), tlv(0x18, ascii("99991231235959Z"))));
        byte[] tbs = seq(concat(tlv(0xA0, tlv(0x02, new byte[]{2})), tlv(0x02, serial), ED25519, name, validity, name,
                kp.getPublic().getEncoded()));
        byte[] sig = Signatures.sign(kp.getPrivate(), tbs);
        byte[] cert = seq(concat(tbs, ED25519, tlv(0x03, concat(new byte[]{0}, sig))));
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(cert));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the certificate made here does not parse", e);
        }
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    private static byte[] seq(byte[] content) { return tlv(0x30, content); }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
