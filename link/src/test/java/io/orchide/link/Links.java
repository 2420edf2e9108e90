package io.orchide.link;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.LinkIdentity;
import io.orchide.link.secure.PinnedKeyTrust;
import io.orchide.link.transport.ConvergenceLayer;
import io.orchide.link.transport.TcpConvergenceLayer;

import java.security.KeyPair;
import java.util.Set;

/**
 * The two ends' transports and ground's trust for a test: plain TCP that authenticates nobody, or mutual TLS with a
 * key pair each, ground accepting only {@code sat-1}'s key and the node only ground's.
 */
record Links(ConvergenceLayer ground, ConvergenceLayer node, PeerTrust groundTrust, KeyPair groundKeys, KeyPair nodeKeys) {
    static Links of(boolean secure) {
        return secure ? secure(KeyFiles.generate(), KeyFiles.generate()) : plain();
    }

    static Links plain() {
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        return new Links(tcp, tcp, PeerTrust.ANY_PEER_UNAUTHENTICATED, null, null);
    }

    static Links secure(KeyPair groundKeys, KeyPair nodeKeys) {
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        PeerTrust trust = (peer, remote, key) -> "sat-1".equals(peer) && nodeKeys.getPublic().equals(key) ? null
                : "key " + (key == null ? "none" : KeyFiles.fingerprint(key)) + " is not registered for satellite '" + peer + "'";
        return new Links(new TlsConvergenceLayerOf(tcp, groundKeys, "ground", PinnedKeyTrust.anyKey()).layer(),
                new TlsConvergenceLayerOf(tcp, nodeKeys, "sat-1", PinnedKeyTrust.pinned(Set.of(groundKeys.getPublic()), "ground's pinned key")).layer(),
                trust, groundKeys, nodeKeys);
    }

    private record TlsConvergenceLayerOf(ConvergenceLayer inner, KeyPair keys, String name, PinnedKeyTrust trust) {
        ConvergenceLayer layer() {
            return new io.orchide.link.secure.TlsConvergenceLayer(inner, LinkIdentity.of(keys, name), trust);
        }
    }
}
