package io.orchide.link.secure;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Trust in a peer's TLS certificate by its public key alone: the key must be Ed25519 and, unless any key is accepted
 * here, one of the pinned keys (by fingerprint). The certificate's names, issuer and dates are ignored on purpose: no CA
 * stands behind them, and a node out of contact for months (or with a clock far off) must not be locked out by a date.
 * That the peer holds the key's private half is proved by the handshake itself (TLS 1.3 CertificateVerify).
 *
 * <p>Ground accepts any key at the handshake and decides after the peer's HELLO, when it knows which satellite the
 * peer claims to be ({@link io.orchide.link.PeerTrust}); a node pins ground's key(s) here.
 */
public final class PinnedKeyTrust extends X509ExtendedTrustManager {
    private final Supplier<Set<String>> pinned;
    private final Supplier<String> role;

    private PinnedKeyTrust(Supplier<Set<String>> pinned, Supplier<String> role) {
        this.pinned = pinned;
        this.role = role;
    }

    /** Trusts exactly these keys; {@code role} names them in a refusal ("ground's pinned key"). */
    public static PinnedKeyTrust pinned(Set<PublicKey> keys, String role) {
        if (keys.isEmpty()) throw new IllegalArgumentException("no key to pin for " + role);
        Set<String> ids = Set.copyOf(keys.stream().map(KeyFiles::fingerprint).toList());
        return new PinnedKeyTrust(() -> ids, () -> role);
    }

    /**
     * Trusts the keys {@code keys} gives at each handshake (by fingerprint), so that a set that changes while the
     * link runs (ground's director keys as the root names them) takes effect at the next handshake; {@code role}
     * names them in a refusal.
     */
    public static PinnedKeyTrust following(Supplier<Set<String>> keys, Supplier<String> role) {
        return new PinnedKeyTrust(keys, role);
    }

    /** Any Ed25519 key, to be judged after the handshake. */
    public static PinnedKeyTrust anyKey() {
        return new PinnedKeyTrust(null, null);
    }

    void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("the peer presented no certificate");
        PublicKey key = chain[0].getPublicKey();
        String fp = KeyFiles.fingerprint(key);
        if (!"EdDSA".equals(key.getAlgorithm()) && !KeyFiles.ALGORITHM.equals(key.getAlgorithm()))
            throw new UntrustedKeyException(fp, "is " + key.getAlgorithm() + ", not " + KeyFiles.ALGORITHM);
        if (pinned == null) return;
        Set<String> now = pinned.get();
        if (!now.contains(fp))
            throw new UntrustedKeyException(fp, "is not " + role.get() + " " + String.join(", ", new java.util.TreeSet<>(now)));
    }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException { check(chain); }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) throws CertificateException { check(chain); }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException { check(chain); }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) throws CertificateException { check(chain); }

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException { check(chain); }

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException { check(chain); }

    @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
}
