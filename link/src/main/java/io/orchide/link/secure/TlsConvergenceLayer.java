package io.orchide.link.secure;

import io.orchide.link.transport.Acceptor;
import io.orchide.link.transport.Channel;
import io.orchide.link.transport.ConvergenceLayer;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Mutual TLS 1.3 over another convergence layer (TCP as shipped): each side proves its Ed25519 identity with a
 * self-signed certificate ({@link LinkIdentity}) and accepts the other's by its pinned key ({@link PinnedKeyTrust});
 * everything after the handshake is encrypted and authenticated. The dialler is the TLS client, the listener the
 * server, and the server requires the client's certificate. No session is resumed: each contact is a full handshake, so
 * that a revoked key is refused at the very next contact. Only the Ed25519 signature scheme is offered.
 */
public final class TlsConvergenceLayer implements ConvergenceLayer {
    private final ConvergenceLayer inner;
    private final SSLContext context;
    private final Consumer<HandshakeCost> costs;

    public TlsConvergenceLayer(ConvergenceLayer inner, LinkIdentity identity, PinnedKeyTrust trust,
                               Consumer<HandshakeCost> costs) {
        this.inner = inner;
        this.costs = costs == null ? c -> { } : costs;
        try {
            this.context = SSLContext.getInstance("TLSv1.3");
            context.init(new KeyManager[]{new OneKeyManager(identity)}, new TrustManager[]{trust}, new SecureRandom());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no TLS 1.3", e);
        }
    }

    public TlsConvergenceLayer(ConvergenceLayer inner, LinkIdentity identity, PinnedKeyTrust trust) {
        this(inner, identity, trust, null);
    }

    private SSLEngine engine(boolean client) {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(client);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[]{"TLSv1.3"});
        p.setSignatureSchemes(new String[]{"ed25519"});
        p.setEndpointIdentificationAlgorithm(null); // no names: the pinned key is the identity
        if (!client) p.setNeedClientAuth(true);
        e.setSSLParameters(p);
        e.setEnableSessionCreation(true);
        return e;
    }

    @Override
    public Channel connect(String address, Duration timeout) throws IOException {
        return new TlsChannel(inner.connect(address, timeout), engine(true), costs);
    }

    @Override
    public Acceptor bind(String address) throws IOException {
        Acceptor a = inner.bind(address);
        return new Acceptor() {
            @Override
            public Channel accept() throws IOException {
                return new TlsChannel(a.accept(), engine(false), costs);
            }

            @Override
            public String address() {
                return a.address();
            }

            @Override
            public void close() throws IOException {
                a.close();
            }
        };
    }
}
