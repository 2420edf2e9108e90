package io.orchide.link.secure;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;

/**
 * Seals a short message (a Secret's data) to one node's Ed25519 key, in the shape of HPKE's base mode built from the
 * JDK's own primitives: the recipient's Ed25519 key is converted to its X25519 twin (RFC 7748 birational map for the
 * public key; SHA-512 of the seed, clamped, for the private key, as libsodium's {@code crypto_sign_ed25519_*_to_curve25519}
 * do), an ephemeral X25519 key agrees a secret with it, HKDF-SHA256 (RFC 5869) derives an AES-256 key and a GCM nonce
 * from that secret and both public keys, and AES-256-GCM encrypts with the caller's associated data (the secret's
 * identity), so that a ciphertext moved under another identity does not open.
 * <p>
 * Each seal uses a fresh ephemeral key, so the key and nonce are never reused; the same clear text sealed twice gives
 * two unrelated ciphertexts.
 */
public final class SecretSealing {
    /** An X25519 public value or private scalar, and the length of an ephemeral key on the wire. */
    public static final int KEY_BYTES = 32;
    private static final int TAG_BITS = 128;
    private static final int NONCE_BYTES = 12;
    private static final byte[] INFO = "orchide secret v1".getBytes(StandardCharsets.US_ASCII);
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    /** A sealed message: the sender's ephemeral X25519 public value (32 bytes) and the AES-GCM ciphertext with tag. */
    public record Sealed(byte[] ephemeral, byte[] ciphertext) {
        public Sealed {
            ephemeral = ephemeral.clone();
            ciphertext = ciphertext.clone();
        }

        @Override public byte[] ephemeral() { return ephemeral.clone(); }

        @Override public byte[] ciphertext() { return ciphertext.clone(); }
    }

    /** A sealed message did not open: the wrong key, other associated data, or bytes changed on the way. */
    public static final class OpenFailed extends GeneralSecurityException {
        public OpenFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private SecretSealing() { }

    /** Seals {@code plain} to the holder of Ed25519 {@code recipient}, bound to {@code associated}. */
    public static Sealed seal(PublicKey recipient, byte[] plain, byte[] associated) {
        try {
            byte[] to = x25519Public(recipient);
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            KeyPair eph = g.generateKeyPair();
            byte[] ephU = encodeU(((XECPublicKey) eph.getPublic()).getU());
            byte[] shared = agree(eph.getPrivate(), to);
            Cipher c = cipher(Cipher.ENCRYPT_MODE, shared, ephU, to, associated);
            return new Sealed(ephU, c.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot seal with X25519 and AES-GCM: " + e.getMessage(), e);
        }
    }

    /** Opens what {@link #seal} sealed to the public half of Ed25519 {@code key}, with the same {@code associated}. */
    public static byte[] open(PrivateKey key, Sealed sealed, byte[] associated) throws OpenFailed {
        if (sealed.ephemeral().length != KEY_BYTES) {
            throw new OpenFailed("the ephemeral key is " + sealed.ephemeral().length + " bytes, not " + KEY_BYTES, null);
        }
        try {
            PrivateKey mine = x25519Private(key);
            byte[] me = encodeU(publicU(mine));
            byte[] shared = agree(mine, sealed.ephemeral());
            return cipher(Cipher.DECRYPT_MODE, shared, sealed.ephemeral(), me, associated).doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new OpenFailed("does not open with this key and identity (another key, another identity, or changed bytes)", e);
        } catch (GeneralSecurityException e) {
            throw new OpenFailed("cannot open: " + e.getMessage(), e);
        }
    }

    /** The X25519 public value (little-endian u) of Ed25519 public key {@code ed}: u = (1 + y) / (1 - y) mod p. */
    public static byte[] x25519Public(PublicKey ed) {
        if (!(ed instanceof EdECPublicKey e)) throw new IllegalArgumentException("not an Ed25519 public key: " + ed.getAlgorithm());
        BigInteger y = e.getPoint().getY();
        BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
        return encodeU(u);
    }

    /** The X25519 private key of Ed25519 private key {@code ed}: the first half of SHA-512(seed), clamped. */
    public static PrivateKey x25519Private(PrivateKey ed) throws GeneralSecurityException {
        if (!(ed instanceof EdECPrivateKey e) || e.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key with its seed: " + ed.getAlgorithm());
        }
        byte[] seed = e.getBytes().get();
        byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
        byte[] scalar = Arrays.copyOf(h, KEY_BYTES);
        Arrays.fill(h, (byte) 0);
        Arrays.fill(seed, (byte) 0);
        scalar[0] &= (byte) 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return KeyFactory.getInstance("X25519").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
    }

    /** The raw clamped scalar of {@link #x25519Private} (for tests against published vectors). */
    static byte[] x25519Scalar(PrivateKey ed) throws GeneralSecurityException {
        return ((java.security.interfaces.XECPrivateKey) x25519Private(ed)).getScalar().orElseThrow();
    }

    /** RFC 5869 HKDF with HMAC-SHA256: extract with {@code salt}, expand with {@code info} to {@code length} bytes. */
    public static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) i);
            t = mac.doFinal();
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        Arrays.fill(prk, (byte) 0);
        return out;
    }

    private static Cipher cipher(int mode, byte[] shared, byte[] ephU, byte[] recipientU, byte[] associated)
            throws GeneralSecurityException {
        byte[] salt = new byte[2 * KEY_BYTES];
        System.arraycopy(ephU, 0, salt, 0, KEY_BYTES);
        System.arraycopy(recipientU, 0, salt, KEY_BYTES, KEY_BYTES);
        byte[] okm = hkdf(salt, shared, INFO, KEY_BYTES + NONCE_BYTES);
        Arrays.fill(shared, (byte) 0);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(okm, 0, KEY_BYTES, "AES"), new GCMParameterSpec(TAG_BITS, okm, KEY_BYTES, NONCE_BYTES));
        Arrays.fill(okm, (byte) 0);
        c.updateAAD(associated);
        return c;
    }

    private static byte[] agree(PrivateKey mine, byte[] theirU) throws GeneralSecurityException {
        PublicKey theirs = KeyFactory.getInstance("X25519")
                .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, decodeU(theirU)));
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(mine);
        ka.doPhase(theirs, true);
        byte[] s = ka.generateSecret();
        // an all-zero secret means a small-order point was offered (RFC 7748 section 6.1): refuse it
        if (MessageDigest.isEqual(s, new byte[s.length])) throw new GeneralSecurityException("a small-order X25519 key");
        return s;
    }

    private static BigInteger publicU(PrivateKey x25519) throws GeneralSecurityException {
        // the public value is the scalar times the base point u = 9: what an agreement with the base point gives
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(x25519);
        ka.doPhase(KeyFactory.getInstance("X25519").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9))), true);
        return decodeU(ka.generateSecret());
    }

    static byte[] encodeU(BigInteger u) {
        byte[] be = u.toByteArray();
        byte[] le = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES && i < be.length; i++) le[i] = be[be.length - 1 - i];
        return le;
    }

    static BigInteger decodeU(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        return new BigInteger(1, be);
    }
}
