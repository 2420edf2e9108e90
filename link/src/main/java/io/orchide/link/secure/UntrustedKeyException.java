package io.orchide.link.secure;

import java.security.cert.CertificateException;

/** A peer proved a key this side does not accept: the TLS handshake fails with it, before any frame. */
public final class UntrustedKeyException extends CertificateException {
    private final String fingerprint;

    public UntrustedKeyException(String fingerprint, String reason) {
        super("key " + fingerprint + " " + reason);
        this.fingerprint = fingerprint;
    }

    public String fingerprint() { return fingerprint; }
}
