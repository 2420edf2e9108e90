package io.orchide.link.secure;

import io.orchide.link.LinkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys in files, in the standard PEM forms every tool reads ({@code openssl pkey -in node.pub -pubin}): the
 * private key as PKCS#8 ({@code PRIVATE KEY}), written with mode 0600 and atomically (a crash leaves either no key or
 * the whole key, never half of one), the public key as X.509 SubjectPublicKeyInfo ({@code PUBLIC KEY}). A key's
 * fingerprint is {@code sha256:} and the hex SHA-256 of its SubjectPublicKeyInfo.
 */
public final class KeyFiles {
    public static final String ALGORITHM = "Ed25519";

    private KeyFiles() { }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make " + ALGORITHM + " keys", e);
        }
    }

    /**
     * Makes a key pair and writes it to {@code privateFile} (0600) and {@code publicFile}; refuses, changing nothing,
     * when either file exists: a key once made is an identity others registered, never silently replaced.
     */
    public static KeyPair create(Path privateFile, Path publicFile) throws IOException {
        for (Path p : new Path[]{privateFile, publicFile})
            if (Files.exists(p)) throw new FileAlreadyExistsException(p.toString(), null, "a key is there already; it is not replaced");
        KeyPair kp = generate();
        writeAtomically(privateFile, pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true);
        writeAtomically(publicFile, pem("PUBLIC KEY", kp.getPublic().getEncoded()), false);
        return kp;
    }

    /** Reads the pair from its two files; a public key that is not the private key's is refused. */
    public static KeyPair load(Path privateFile, Path publicFile) throws IOException {
        PrivateKey priv = readPrivate(privateFile);
        PublicKey pub = readPublic(publicFile);
        if (!Signatures.matches(priv, pub))
            throw new LinkException("key", publicFile, "is not the public key of " + privateFile);
        return new KeyPair(pub, priv);
    }

    public static PublicKey readPublic(Path file) throws IOException {
        return decodePublic(der(file, "PUBLIC KEY"), file.toString());
    }

    /** A public key from its PEM text (as a file holds it). */
    public static PublicKey parsePublic(String pemText, String what) {
        return decodePublic(der(pemText, "PUBLIC KEY", what), what);
    }

    public static PrivateKey readPrivate(Path file) throws IOException {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new LinkException("key", file, "is not an " + ALGORITHM + " private key: " + e.getMessage());
        }
    }

    private static PublicKey decodePublic(byte[] der, String what) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new LinkException("key", what, "is not an " + ALGORITHM + " public key: " + e.getMessage());
        }
    }

    public static String pem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** {@code sha256:<hex>} of the key's SubjectPublicKeyInfo. */
    public static String fingerprint(PublicKey key) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path file, String type) throws IOException {
        if (!Files.isRegularFile(file)) throw new LinkException("key", file, "is not a file");
        return der(Files.readString(file, StandardCharsets.US_ASCII), type, file.toString());
    }

    private static byte[] der(String text, String type, String what) {
        String begin = "-----BEGIN " + type + "-----", end = "-----END " + type + "-----";
        int b = text.indexOf(begin), e = text.indexOf(end);
        if (b < 0 || e < b) throw new LinkException("key", what, "has no " + begin + " block");
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException x) {
            throw new LinkException("key", what, "is not valid base64 PEM: " + x.getMessage());
        }
    }

    /**
     * Writes through a temporary file in the same directory, readable only by its owner when {@code secret}; throws
     * {@link FileAlreadyExistsException} when {@code file} exists, leaving it as it was.
     */
    static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                // a link appears whole or not at all, and never replaces a file there (another replica's key)
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
