package io.orchide.link.secure;

import io.orchide.link.LinkException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A private key encrypted at rest with a passphrase: PBKDF2-HMAC-SHA256 (a fresh 16-byte salt, {@link #ITERATIONS}
 * rounds) derives an AES-256 key that encrypts the key's PKCS#8 bytes with AES-GCM, in a PEM block of type
 * {@value #TYPE}: version (1 byte), rounds (4), salt (16), nonce (12), ciphertext and tag. A wrong passphrase fails
 * the GCM tag check and is said as such; a key file that is not encrypted still loads, with or without a passphrase,
 * and {@link #encryptInPlace} encrypts it.
 */
public final class EncryptedKeys {
    public static final String TYPE = "ORCHIDE ENCRYPTED PRIVATE KEY";
    /** PBKDF2 rounds: about a third of a second here, once per start. */
    public static final int ITERATIONS = 310_000;
    private static final byte VERSION = 1;
    private static final byte[] AAD = "orchide encrypted private key v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private EncryptedKeys() { }

    /** Whether {@code file} holds an encrypted key. */
    public static boolean isEncrypted(Path file) throws IOException {
        return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.US_ASCII).contains("-----BEGIN " + TYPE + "-----");
    }

    /** Makes a key pair as {@link KeyFiles#create} does, the private key encrypted with {@code passphrase} when given. */
    public static KeyPair create(Path privateFile, Path publicFile, Passphrase passphrase) throws IOException {
        if (passphrase == null) return KeyFiles.create(privateFile, publicFile);
        for (Path p : new Path[]{privateFile, publicFile})
            if (Files.exists(p)) throw new FileAlreadyExistsException(p.toString(), null, "a key is there already; it is not replaced");
        KeyPair kp = KeyFiles.generate();
        KeyFiles.writeAtomically(privateFile, encrypt(kp.getPrivate(), passphrase), true);
        KeyFiles.writeAtomically(publicFile, KeyFiles.pem(kp.getPublic()), false);
        return kp;
    }

    /**
     * Reads the pair; an encrypted private key needs {@code passphrase} (refused, naming the file and the ways to give
     * one, without it; refused as a wrong passphrase when it does not open), a clear one loads either way.
     */
    public static KeyPair load(Path privateFile, Path publicFile, Passphrase passphrase) throws IOException {
        if (!isEncrypted(privateFile)) return KeyFiles.load(privateFile, publicFile);
        if (passphrase == null) {
            throw new LinkException("key", privateFile, "is encrypted: give its passphrase (--key-passphrase-file FILE "
                    + "or the environment variable ORCHIDE_GROUND_KEY_PASSPHRASE)");
        }
        PrivateKey priv = decrypt(Files.readString(privateFile, StandardCharsets.US_ASCII), passphrase, privateFile.toString());
        PublicKey pub = KeyFiles.readPublic(publicFile);
        if (!Signatures.matches(priv, pub)) throw new LinkException("key", publicFile, "is not the public key of " + privateFile);
        return new KeyPair(pub, priv);
    }

    /**
     * Encrypts the clear private key in {@code file} with {@code passphrase}, replacing the file atomically (mode 0600);
     * false, changing nothing, when it is encrypted already.
     */
    public static boolean encryptInPlace(Path file, Passphrase passphrase) throws IOException {
        if (isEncrypted(file)) return false;
        PrivateKey key = KeyFiles.readPrivate(file);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".encrypting");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, encrypt(key, passphrase), StandardCharsets.US_ASCII);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    /** {@code key} encrypted with {@code passphrase}, as PEM text. */
    public static String encrypt(PrivateKey key, Passphrase passphrase) {
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] der = key.getEncoded();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, derive(passphrase, salt, ITERATIONS), new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            byte[] ct = c.doFinal(der);
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + salt.length + nonce.length + ct.length)
                    .put(VERSION).putInt(ITERATIONS).put(salt).put(nonce).put(ct);
            return "-----BEGIN " + TYPE + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(b.array())
                    + "\n-----END " + TYPE + "-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot encrypt with PBKDF2 and AES-GCM: " + e.getMessage(), e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** The private key of PEM {@code text} encrypted with {@code passphrase}; {@code what} names it in errors. */
    public static PrivateKey decrypt(String text, Passphrase passphrase, String what) {
        String begin = "-----BEGIN " + TYPE + "-----", end = "-----END " + TYPE + "-----";
        int b = text.indexOf(begin), e = text.indexOf(end);
        if (b < 0 || e < b) throw new LinkException("key", what, "has no " + begin + " block");
        ByteBuffer in;
        try {
            in = ByteBuffer.wrap(Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e)));
        } catch (IllegalArgumentException x) {
            throw new LinkException("key", what, "is not valid base64 PEM: " + x.getMessage());
        }
        if (in.remaining() < 1 + 4 + 16 + 12 + 16 || in.get() != VERSION) {
            throw new LinkException("key", what, "is not an encrypted key of version " + VERSION);
        }
        int rounds = in.getInt();
        if (rounds < 10_000 || rounds > 10_000_000) throw new LinkException("key", what, "names " + rounds + " PBKDF2 rounds");
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        in.get(salt).get(nonce);
        byte[] ct = new byte[in.remaining()];
        in.get(ct);
        byte[] der = null;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, derive(passphrase, salt, rounds), new GCMParameterSpec(128, nonce));
            c.updateAAD(AAD);
            der = c.doFinal(ct);
            return KeyFactory.getInstance(KeyFiles.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (AEADBadTagException x) {
            throw new LinkException("key", what, "does not open with this passphrase (a wrong passphrase, or the file was changed)");
        } catch (GeneralSecurityException x) {
            throw new LinkException("key", what, "cannot be decrypted: " + x.getMessage());
        } finally {
            if (der != null) Arrays.fill(der, (byte) 0);
        }
    }

    private static SecretKeySpec derive(Passphrase passphrase, byte[] salt, int rounds) throws GeneralSecurityException {
        char[] chars = passphrase.chars();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, rounds, 256);
        try {
            byte[] k = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            SecretKeySpec key = new SecretKeySpec(k, "AES");
            Arrays.fill(k, (byte) 0);
            return key;
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }
}
