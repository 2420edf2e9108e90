package io.orchide.link;

import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.link.wire.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sessions over real sockets whose peer vanishes without closing them: ended as dead after the idle timeout, with
 * the reason shown and the lease handed back; while a peer from before keepalives, and a large bundle crawling over a
 * thin link, are not taken for dead.
 */
class SessionLivenessTest {
    static final Duration KEEPALIVE = Duration.ofMillis(200), IDLE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    static LinkConfig cfg(String name, long rate) {
        return TransferTest.cfg(name, rate).withLiveness(KEEPALIVE, IDLE);
    }

    @Test
    void aPeerThatFallsSilentIsEndedAsDeadWithTheReasonShownAndItsLeaseHandedBack() throws Exception {
        Recorder g = new Recorder();
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground", 0), gs, new TcpConvergenceLayer(), g, g);
             RawPeer sat = new RawPeer(ground.listen("127.0.0.1:0"), "sat-1")) {
            assertThat(sat.readAny()).as("the endpoint says it keeps the session alive, right after STATE")
                    .isEqualTo(new Frame.Keepalive());
            sat.send(new Frame.Keepalive());
            assertThat(gs.leaseHolder("sat-1", java.time.Instant.now())).isEqualTo("ground-holder");
            // then the peer says nothing more, as a frozen process or a pulled cable would
            List<Frame> heard = sat.readToEnd();

            await().atMost(Duration.ofSeconds(10)).until(() -> !ground.stats("sat-1").connected());
            assertThat(ground.stats("sat-1").lastSessionEnd()).startsWith("dead: nothing received from sat-1 for ")
                    .endsWith("(idle timeout 1.0 s)");
            assertThat(gs.leaseHolder("sat-1", java.time.Instant.now())).isNull();
            // the endpoint kept the session alive from its side meanwhile
            assertThat(heard).isNotEmpty().containsOnly(new Frame.Keepalive());
        }
    }

    @Test
    void aPeerFromBeforeKeepalivesIsNotTimedOutWhenIdle() throws Exception {
        Recorder g = new Recorder();
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground", 0), gs, new TcpConvergenceLayer(), g, g);
             RawPeer old = new RawPeer(ground.listen("127.0.0.1:0"), "sat-1")) {
            // it never sends a keepalive; each one it reads came after a keepalive interval of silence
            for (int i = 0; i < 10; i++) assertThat(old.readAny()).isEqualTo(new Frame.Keepalive());
            assertThat(ground.stats("sat-1").connected()).as("still connected after %s of silence", KEEPALIVE.multipliedBy(9))
                    .isTrue();
            assertThat(ground.stats("sat-1").lastSessionEnd()).isNull();
        }
    }

    @Test
    void aLargeBundleCrawlingOverAThinLinkKeepsItsSessionAlive() throws Exception {
        Recorder g = new Recorder(), n = new Recorder();
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        // 64 KiB segments at 32 kB/s: two seconds per segment, twice the idle timeout
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground", 0), gs, tcp, g, g);
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1", 32_000), ns, tcp, n, n)) {
            byte[] p = new byte[100_000];
            new Random(3).nextBytes(p);
            Bundle b = node.send(new Outgoing("ground", "product.image", 50, Duration.ofHours(1), p));
            node.dial(ground.listen("127.0.0.1:0"));
            await().atMost(Duration.ofSeconds(60)).until(() -> g.delivered() == 1);
            assertThat(g.payloads.get(b.id())).isEqualTo(p);
            assertThat(g.opened).as("one session carried it whole").hasSize(1);
            assertThat(ground.stats("sat-1").lastSessionEnd()).isNull();
            assertThat(node.stats("ground").lastSessionEnd()).isNull();
        }
    }

    @Test
    void anAddressThatAcceptsButNeverAnswersIsLeftForTheNextAfterTheIdleTimeout() throws Exception {
        Recorder g = new Recorder(), n = new Recorder();
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        // what a frozen process's port does: the kernel accepts the connection, nobody says HELLO
        List<Socket> held = new ArrayList<>();
        try (ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground", 0), gs, tcp, g, g);
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1", 0), ns, tcp, n, n)) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) held.add(frozen.accept());
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            String silent = "127.0.0.1:" + frozen.getLocalPort(), live = ground.listen("127.0.0.1:0");
            node.dial(silent + "," + live);
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                DialStatus d = node.dialStatus();
                return d.connected() && live.equals(d.current());
            });
            assertThat(held).isNotEmpty();
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
