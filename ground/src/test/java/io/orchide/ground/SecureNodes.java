package io.orchide.ground;

import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.LinkIdentity;
import io.orchide.link.secure.PinnedKeyTrust;
import io.orchide.link.secure.TlsConvergenceLayer;
import io.orchide.link.transport.ConvergenceLayer;
import io.orchide.link.transport.TcpConvergenceLayer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Set;

/** A test node's side of ground's secure link: its own key pair, registered on ground, and ground's key pinned. */
public final class SecureNodes {
    private SecureNodes() { }

    /** Ground's public key for {@code cfg}, made now when ground has not made it yet (its first start will load it). */
    public static PublicKey groundKey(GroundConfig cfg) {
        Path[] files = cfg.groundKey();
        try {
            if (!Files.exists(files[0])) KeyFiles.create(files[0], files[1]);
            return KeyFiles.readPublic(files[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's transport: mutual TLS with {@code nodeKeys}, accepting only ground's {@code groundKey}. */
    public static ConvergenceLayer layer(PublicKey groundKey, KeyPair nodeKeys, String satellite) {
        return new TlsConvergenceLayer(new TcpConvergenceLayer(), LinkIdentity.of(nodeKeys, satellite),
                PinnedKeyTrust.pinned(Set.of(groundKey), "ground's pinned key"));
    }

    /** A new node key registered for {@code satellite} on {@code g}. */
    public static KeyPair registered(GroundServer g, String satellite) {
        KeyPair kp = KeyFiles.generate();
        g.nodeKeys().register(satellite, kp.getPublic(), "test");
        return kp;
    }
}
