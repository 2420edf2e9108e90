package io.orchide.link.secure;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

/**
 * The key pair an endpoint proves itself with on the link, and the self-signed certificate TLS carries it in
 * ({@link SelfSignedCertificate}).
 */
public record LinkIdentity(KeyPair keys, X509Certificate certificate) {
    public static LinkIdentity of(KeyPair keys, String name) {
        return new LinkIdentity(keys, SelfSignedCertificate.of(keys, name));
    }

    /** The identity kept in {@code privateFile} and {@code publicFile} (see {@link KeyFiles}). */
    public static LinkIdentity load(Path privateFile, Path publicFile, String name) throws IOException {
        return of(KeyFiles.load(privateFile, publicFile), name);
    }

    public String fingerprint() { return KeyFiles.fingerprint(keys.getPublic()); }
}
