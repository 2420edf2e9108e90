package io.orchide.link;

import io.orchide.testkit.TestPostgres;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.link.wire.Frame;
import io.orchide.link.wire.FrameCodec;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.DataInputStream;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The store on PostgreSQL, and two ground replicas sharing one database with leases on each peer's session. */
class PostgresTest {
    @Test
    void storeWorksOnPostgres() throws Exception {
        DataSource ds = TestPostgres.newDataSource();
        try (LinkStore a = LinkStore.on(ds); LinkStore b = LinkStore.on(ds)) {
            assertThat(a.postgres()).isTrue();
            assertThat(a.schemaVersion()).isEqualTo(1);
            assertThat(b.schemaVersion()).isEqualTo(1);
            byte[] payload = new byte[150_000];
            new Random(1).nextBytes(payload);
            Bundle bu = new Bundle("pg-1", "sat-1", "ground", "k", 5, Instant.ofEpochMilli(1000), Duration.ofDays(100_000), payload.length, LinkStore.sha256(payload));
            a.enqueue(bu, 1, payload, 64 * 1024);
            assertThat(b.queued()).extracting(r -> r.bundle().id()).containsExactly("pg-1");
            assertThat(b.readOut("pg-1", 70_000)).isEqualTo(java.util.Arrays.copyOfRange(payload, 70_000, 128 * 1024));
            assertThat(a.append(bu, 0, java.util.Arrays.copyOf(payload, 100_000))).isEqualTo(100_000);
            assertThat(b.partials("sat-1")).containsExactly(new Frame.Held("pg-1", 100_000));
            assertThat(b.append(bu, 100_000, java.util.Arrays.copyOfRange(payload, 100_000, payload.length))).isEqualTo(payload.length);
            assertThat(a.checksumIn("pg-1")).isEqualTo(bu.checksum());
            a.complete("pg-1", 1);
            assertThat(b.deliverable(10)).containsExactly(bu);
            assertThat(b.readIn("pg-1")).isEqualTo(payload);
            b.delivered(bu);
            assertThat(a.seen("pg-1")).isTrue();
            assertThat(a.finishOut("pg-1", LinkStore.ACKED, payload.length)).isTrue();
            assertThat(a.finishOut("pg-1", LinkStore.ACKED, payload.length)).isFalse();
            Instant now = Instant.now();
            assertThat(a.acquireLease("peer-x", "A", now, Duration.ofSeconds(10))).isTrue();
            assertThat(b.acquireLease("peer-x", "B", now, Duration.ofSeconds(10))).isFalse();
            assertThat(a.renewLease("peer-x", "A", now, Duration.ofSeconds(10))).isTrue();
            assertThat(b.renewLease("peer-x", "B", now, Duration.ofSeconds(10))).isFalse();
            assertThat(b.acquireLease("peer-x", "B", now.plusSeconds(11), Duration.ofSeconds(10))).as("after expiry").isTrue();
            assertThat(a.renewLease("peer-x", "A", now, Duration.ofSeconds(10))).as("lost").isFalse();
            b.releaseLease("peer-x", "B");
            assertThat(a.acquireLease("peer-x", "A", now, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void twoGroundReplicasOnOnePostgresDeliverEachBundleOnceAndNeverShareASession() throws Exception {
        DataSource ds = TestPostgres.newDataSource();
        Recorder deliveries = new Recorder();
        AtomicInteger concurrent = new AtomicInteger(), maxConcurrent = new AtomicInteger();
        class Events extends Recorder {
            @Override public void contactOpened(PeerContact peer) {
                super.contactOpened(peer);
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            }

            @Override public void contactClosed(String peer) {
                super.contactClosed(peer);
                concurrent.decrementAndGet();
            }
        }
        Events ea = new Events(), eb = new Events();
        Recorder n = new Recorder();
        TcpConvergenceLayer tcp = new TcpConvergenceLayer();
        LinkConfig ca = new LinkConfig("ground", "{}", 0, 0, 0, "ground-a", Duration.ofSeconds(3), Duration.ofMillis(50), null);
        LinkConfig cb = new LinkConfig("ground", "{}", 0, 0, 0, "ground-b", Duration.ofSeconds(3), Duration.ofMillis(50), null);
        try (LinkStore sa = LinkStore.on(ds); LinkStore sb = LinkStore.on(ds);
             LinkEndpoint a = LinkEndpoint.open(ca, sa, tcp, deliveries, ea);
             LinkEndpoint b = LinkEndpoint.open(cb, sb, tcp, deliveries, eb);
             LinkStore ns = LinkStore.sqlite(java.nio.file.Files.createTempDirectory("orchide-link").resolve("node.db"));
             LinkEndpoint node = LinkEndpoint.open(TransferTest.cfg("sat-1", 3_000_000), ns, tcp, n, n)) {
            String addrA = a.listen("127.0.0.1:0"), addrB = b.listen("127.0.0.1:0");
            Map<String, byte[]> sent = new HashMap<>();
            Random rnd = new Random(9);
            for (int i = 0; i < 24; i++) {
                byte[] p = new byte[50_000 + rnd.nextInt(300_000)];
                rnd.nextBytes(p);
                sent.put(node.send(new Outgoing("ground", "product.image", rnd.nextInt(101), Duration.ofHours(1), p)).id(), p);
            }
            try (CuttingProxy proxy = new CuttingProxy(addrA, 1, 0, 0)) {
                node.dial(proxy.address());
                await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.delivered() >= 4 && ea.opened.size() == 1);
                // while A holds sat-1's session, B refuses another session from sat-1
                try (Socket s = new Socket("127.0.0.1", Integer.parseInt(addrB.split(":")[1]))) {
                    FrameCodec codec = new FrameCodec(LinkConfig.DEFAULT_MAX_BUNDLE);
                    s.getOutputStream().write(codec.encode(new Frame.Hello(FrameCodec.VERSION, "sat-1", "{}")));
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    assertThat(codec.read(in)).isInstanceOf(Frame.Hello.class);
                    assertThat(codec.read(in)).isInstanceOfSatisfying(Frame.Reject.class,
                            r -> assertThat(r.reason()).contains("held by ground-a"));
                }
                assertThat(eb.rejected).anySatisfy(r -> assertThat(r).contains("held by ground-a"));
                // cut, switch to B; then back to A
                proxy.target.set(addrB);
                proxy.cutNow();
                await().atMost(Duration.ofSeconds(20)).until(() -> eb.opened.size() >= 1 && deliveries.delivered() >= 12);
                proxy.target.set(addrA);
                proxy.cutNow();
                await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.delivered() == 24);
                // and every custody acknowledgement reached the node, through the proxy still open
                await().atMost(Duration.ofSeconds(30)).until(() -> node.queued("ground").isEmpty());
            }
            assertThat(deliveries.duplicates()).isZero();
            sent.forEach((id, p) -> assertThat(deliveries.payloads.get(id)).isEqualTo(p));
            assertThat(ea.opened.size()).isGreaterThanOrEqualTo(2);
            assertThat(eb.opened.size()).isGreaterThanOrEqualTo(1);
            assertThat(maxConcurrent.get()).as("sessions with sat-1 at once").isEqualTo(1);
        }
    }
}
