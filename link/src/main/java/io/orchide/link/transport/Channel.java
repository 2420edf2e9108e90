package io.orchide.link.transport;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** One open byte stream to a peer, as a convergence layer gives it. Closing it cuts the contact. */
public interface Channel extends Closeable {
    InputStream input();

    OutputStream output();

    /** The far end, for messages. */
    String remote();

    /**
     * The public key the peer proved it holds (a secure layer's, after its handshake), or null on a layer that
     * authenticates nobody.
     */
    default java.security.PublicKey peerKey() throws java.io.IOException { return null; }

    /**
     * The most bytes one write is carried in without extra framing (a TLS record's payload), so that a sender pacing
     * its writes can make them whole units; 0 when a write costs nothing beyond its bytes.
     */
    default int writeUnit() { return 0; }
}
