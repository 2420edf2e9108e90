package io.orchide.link;

import io.orchide.link.secure.HandshakeCost;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.secure.LinkIdentity;
import io.orchide.link.secure.PinnedKeyTrust;
import io.orchide.link.secure.TlsConvergenceLayer;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Mutual TLS on real sockets: who may have a session, and that an impostor on either side gets nothing through. */
class SecureLinkTest {
    @TempDir
    Path dir;

    private static LinkConfig cfg(String name) {
        return new LinkConfig(name, "{}", 0, 0, 0, name + "-holder", Duration.ofSeconds(5), Duration.ofMillis(50), null);
    }

    private static Outgoing payload(String to, String text) {
        return new Outgoing(to, "test", 50, Duration.ofHours(1), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void registeredNodeAndPinnedGroundExchangeBundlesAndTheHandshakeIsMeasured() throws Exception {
        Links l = Links.secure(KeyFiles.generate(), KeyFiles.generate());
        List<HandshakeCost> costs = new CopyOnWriteArrayList<>();
        TlsConvergenceLayer measured = new TlsConvergenceLayer(new TcpConvergenceLayer(),
                LinkIdentity.of(l.nodeKeys(), "sat-1"), PinnedKeyTrust.pinned(Set.of(l.groundKeys().getPublic()), "ground's key"), costs::add);
        Recorder g = new Recorder(), n = new Recorder();
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("g.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("n.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground"), gs, l.ground(), g, g, l.groundTrust());
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1"), ns, measured, n, n)) {
            ground.send(payload("sat-1", "desired"));
            node.send(payload("ground", "report"));
            node.dial(ground.listen("127.0.0.1:0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> g.delivered() == 1 && n.delivered() == 1);
            assertThat(costs).isNotEmpty();
            HandshakeCost c = costs.get(0);
            assertThat(c.bytesSent()).isPositive();
            assertThat(c.bytesReceived()).isPositive();
            System.out.printf("handshake: %d bytes sent, %d received, %d ms%n", c.bytesSent(), c.bytesReceived(), c.time().toMillis());
        }
    }

    @Test
    void aRogueNodeWithAnUnregisteredKeyIsRefusedAndSendsNothing() throws Exception {
        KeyPair groundKeys = KeyFiles.generate();
        Links l = Links.secure(groundKeys, KeyFiles.generate());
        Links rogue = Links.secure(groundKeys, KeyFiles.generate()); // knows ground's key, claims sat-1, its own key
        Recorder g = new Recorder(), n = new Recorder();
        List<String> refused = new CopyOnWriteArrayList<>();
        PeerTrust auditing = (peer, remote, key) -> {
            String why = l.groundTrust().check(peer, remote, key);
            if (why != null) refused.add(peer + " " + KeyFiles.fingerprint(key));
            return why;
        };
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("g.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("n.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground"), gs, l.ground(), g, g, auditing);
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1"), ns, rogue.node(), n, n)) {
            ground.send(payload("sat-1", "desired state for the real sat-1"));
            node.send(payload("ground", "a false report"));
            node.dial(ground.listen("127.0.0.1:0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> refused.size() >= 2);
            assertThat(refused.get(0)).isEqualTo("sat-1 " + KeyFiles.fingerprint(rogue.nodeKeys().getPublic()));
            assertThat(n.rejected).anySatisfy(r -> assertThat(r).contains("is not registered for satellite 'sat-1'"));
            assertThat(g.delivered()).isZero();
            assertThat(n.delivered()).isZero();
            assertThat(g.opened).isEmpty();
            assertThat(ground.queued("sat-1")).hasSize(1);
            assertThat(node.queued("ground")).hasSize(1);
        }
    }

    @Test
    void aNodeRefusesAGroundWithAnotherKeyAndTakesNothingFromIt() throws Exception {
        Links real = Links.secure(KeyFiles.generate(), KeyFiles.generate());
        Links fake = Links.secure(KeyFiles.generate(), real.nodeKeys()); // a ground that would accept the node
        Recorder g = new Recorder(), n = new Recorder();
        List<String> failures = new CopyOnWriteArrayList<>(), groundFailures = new CopyOnWriteArrayList<>();
        PeerTrust nodeTrust = new PeerTrust() {
            @Override public String check(String peer, String remote, java.security.PublicKey key) { return null; }

            @Override public void handshakeFailed(String remote, String reason) { failures.add(reason); }
        };
        PeerTrust fakeGroundTrust = new PeerTrust() {
            @Override public String check(String peer, String remote, java.security.PublicKey key) { return fake.groundTrust().check(peer, remote, key); }

            @Override public void handshakeFailed(String remote, String reason) { groundFailures.add(reason); }
        };
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("g.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("n.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground"), gs, fake.ground(), g, g, fakeGroundTrust);
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1"), ns, real.node(), n, n, nodeTrust)) {
            ground.send(payload("sat-1", "run this"));
            node.send(payload("ground", "a product"));
            node.dial(ground.listen("127.0.0.1:0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> failures.size() >= 2);
            assertThat(failures.get(0)).contains(KeyFiles.fingerprint(fake.groundKeys().getPublic()))
                    .contains("is not ground's pinned key");
            assertThat(n.delivered()).isZero();
            assertThat(g.delivered()).isZero();
            assertThat(n.opened).isEmpty();
            assertThat(node.queued("ground")).hasSize(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !groundFailures.isEmpty());
        }
    }

    @Test
    void aPlainPeerCannotTalkToASecureListener() throws Exception {
        Links l = Links.secure(KeyFiles.generate(), KeyFiles.generate());
        Recorder g = new Recorder(), n = new Recorder();
        List<String> failures = new CopyOnWriteArrayList<>();
        PeerTrust trust = new PeerTrust() {
            @Override public String check(String peer, String remote, java.security.PublicKey key) { return l.groundTrust().check(peer, remote, key); }

            @Override public void handshakeFailed(String remote, String reason) { failures.add(reason); }
        };
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("g.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("n.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground"), gs, l.ground(), g, g, trust);
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1"), ns, new TcpConvergenceLayer(), n, n)) {
            node.send(payload("ground", "in clear"));
            node.dial(ground.listen("127.0.0.1:0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !failures.isEmpty());
            assertThat(g.delivered()).isZero();
            assertThat(g.opened).isEmpty();
        }
    }

    @Test
    void keyFilesAreWrittenPrivateAndNeverReplaced() throws Exception {
        Path key = dir.resolve("node.key"), pub = dir.resolve("node.pub");
        KeyPair kp = KeyFiles.create(key, pub);
        assertThat(java.nio.file.Files.getPosixFilePermissions(key))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(java.nio.file.Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(KeyFiles.load(key, pub).getPublic()).isEqualTo(kp.getPublic());
        String before = java.nio.file.Files.readString(key);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyFiles.create(key, pub))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class).hasMessageContaining("node.key");
        assertThat(java.nio.file.Files.readString(key)).isEqualTo(before);
        Path other = dir.resolve("other.pub");
        java.nio.file.Files.writeString(other, KeyFiles.pem(KeyFiles.generate().getPublic()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyFiles.load(key, other))
                .isInstanceOf(LinkException.class).hasMessageContaining("other.pub");
    }
}
