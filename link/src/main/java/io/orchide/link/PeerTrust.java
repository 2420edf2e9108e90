package io.orchide.link;

import java.security.PublicKey;

/**
 * Whether a peer may have a session, asked once it named itself in its HELLO and before anything else is said to it
 * (the listener answers with its own HELLO only after this) or taken from it: a refusal reaches the peer as a REJECT
 * and no bundle moves either way.
 */
public interface PeerTrust {
    /**
     * Accepts every peer. For a convergence layer that authenticates nobody (plain TCP in tests and benchmarks):
     * anyone who reaches the port may claim any name.
     */
    PeerTrust ANY_PEER_UNAUTHENTICATED = (peer, remote, key) -> null;

    /**
     * Null to accept {@code peer} (the name in its HELLO), coming from {@code remote} with the public {@code key} its
     * layer proved (null on a layer that proves none); otherwise the reason it is refused, told to the peer.
     */
    String check(String peer, String remote, PublicKey key);

    /**
     * The secure layer's handshake with {@code remote} failed before any HELLO: an untrusted key, a peer that does not
     * speak TLS, a handshake cut off. Called on the session's thread.
     */
    default void handshakeFailed(String remote, String reason) { }
}
