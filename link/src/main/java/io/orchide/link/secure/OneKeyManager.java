package io.orchide.link.secure;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** Offers the endpoint's one identity, for the Ed25519 signature scheme only. */
final class OneKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "link";
    private final LinkIdentity id;

    OneKeyManager(LinkIdentity id) { this.id = id; }

    private static boolean fits(String keyType) {
        return "EdDSA".equalsIgnoreCase(keyType) || KeyFiles.ALGORITHM.equalsIgnoreCase(keyType);
    }

    private static String alias(String... keyTypes) {
        if (keyTypes != null) for (String k : keyTypes) if (fits(k)) return ALIAS;
        return null;
    }

    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return fits(keyType) ? new String[]{ALIAS} : null; }

    @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return alias(keyType); }

    @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) { return alias(keyType); }

    @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return fits(keyType) ? new String[]{ALIAS} : null; }

    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return alias(keyType); }

    @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return alias(keyType); }

    @Override public X509Certificate[] getCertificateChain(String alias) { return ALIAS.equals(alias) ? new X509Certificate[]{id.certificate()} : null; }

    @Override public PrivateKey getPrivateKey(String alias) { return ALIAS.equals(alias) ? id.keys().getPrivate() : null; }
}
