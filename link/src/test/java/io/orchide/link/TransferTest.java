package io.orchide.link;

import io.orchide.link.session.Core;
import io.orchide.link.store.LinkStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Bundles between two endpoints over real TCP, plain and under mutual TLS, through a proxy that cuts the connection, with a rate limit. */
class TransferTest {
    @TempDir
    Path dir;

    static LinkConfig cfg(String name, long rate) {
        return new LinkConfig(name, "{\"name\":\"" + name + "\"}", rate, 64 * 1024, 0, name + "-holder",
                Duration.ofSeconds(5), Duration.ofMillis(50), null);
    }

    @ParameterizedTest(name = "secure link: {0}")
    @ValueSource(booleans = {false, true})
    void mixedTransferThroughCutsDeliversEachBundleOnceInPriorityOrder(boolean secure) throws Exception {
        Recorder g = new Recorder(), n = new Recorder();
        Links l = Links.of(secure);
        try (LinkStore gs = LinkStore.sqlite(dir.resolve("ground.db")); LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint ground = LinkEndpoint.open(cfg("ground", 8_000_000), gs, l.ground(), g, g, l.groundTrust());
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1", 8_000_000), ns, l.node(), n, n)) {
            String addr = ground.listen("127.0.0.1:0");
            try (CuttingProxy proxy = new CuttingProxy(addr, 42, 40_000, 700_000)) {
                node.closeContact();
                Random rnd = new Random(7);
                Map<String, byte[]> up = new HashMap<>(), down = new HashMap<>();
                long total = 0;
                for (int i = 0; i < 40; i++) {
                    int size = i % 8 == 0 ? 1_000_000 + rnd.nextInt(2_000_000) : 100 + rnd.nextInt(150_000);
                    byte[] p = new byte[size];
                    rnd.nextBytes(p);
                    Bundle b = node.send(new Outgoing("ground", "product.image", rnd.nextInt(101), Duration.ofHours(1), p));
                    up.put(b.id(), p);
                    total += size;
                }
                for (int i = 0; i < 8; i++) {
                    byte[] p = new byte[10_000 + rnd.nextInt(400_000)];
                    rnd.nextBytes(p);
                    down.put(ground.send(new Outgoing("sat-1", "desired.state", rnd.nextInt(101), Duration.ofHours(1), p)).id(), p);
                }
                List<String> expectedOrder = node.queued("ground").stream().map(Bundle::id).toList();
                assertThat(expectedOrder).hasSize(40);
                List<Bundle> q = node.queued("ground");
                for (int i = 1; i < q.size(); i++) {
                    assertThat(q.get(i - 1).priority()).isGreaterThanOrEqualTo(q.get(i).priority());
                }
                node.dial(proxy.address());
                node.openContact();
                await().atMost(Duration.ofSeconds(60)).until(() -> g.delivered() == 40 && n.delivered() == 8);
                assertThat(g.duplicates()).isZero();
                assertThat(n.duplicates()).isZero();
                up.forEach((id, p) -> assertThat(g.payloads.get(id)).as(id).isEqualTo(p));
                down.forEach((id, p) -> assertThat(n.payloads.get(id)).as(id).isEqualTo(p));
                assertThat(g.order).containsExactlyElementsOf(expectedOrder);
                assertThat(proxy.upCuts.get()).as("cuts node->ground").isGreaterThanOrEqualTo(5);
                assertThat(proxy.downCuts.get()).as("cuts ground->node").isGreaterThanOrEqualTo(5);
                await().atMost(Duration.ofSeconds(10)).until(() -> node.queued("ground").isEmpty() && ground.queued("sat-1").isEmpty());
                assertThat(n.acked).hasSize(40);
                assertThat(g.acked).hasSize(8);
                assertThat(node.stats("ground").bytesSent()).isGreaterThanOrEqualTo(total);
                assertThat(ground.stats("sat-1").bytesReceived()).isGreaterThanOrEqualTo(total);
                // each bundle counted once on each side, however many times a cut made it go again
                assertThat(node.stats("ground").bundlesSent()).isEqualTo(40);
                assertThat(ground.stats("sat-1").bundlesReceived()).isEqualTo(40);
                assertThat(ground.stats("sat-1").bundlesSent()).isEqualTo(8);
                assertThat(node.stats("ground").bundlesReceived()).isEqualTo(8);
                assertThat(ground.peers()).extracting(LinkStats::peer).contains("sat-1");
                assertThat(node.stats("ground").lastContact()).isNotNull();
                // each cut costs at most the window in flight
                assertThat(node.stats("ground").bytesSent()).isLessThan(total + (proxy.connections.get()) * (Core.WINDOW + 200_000));
                System.out.printf("transfer: %d cuts, %d connections, payload %d, sent %d%n", proxy.cuts.get(),
                        proxy.connections.get(), total, node.stats("ground").bytesSent());
                // still one session open; nothing was lost or left behind
                assertThat(ground.stats("sat-1").partialIncoming()).isZero();
            }
        }
    }

    @ParameterizedTest(name = "secure link: {0}")
    @ValueSource(booleans = {false, true})
    void receiverRestartMidTransferResumesAtTheAcknowledgedOffset(boolean secure) throws Exception {
        Recorder g = new Recorder(), n = new Recorder();
        Links l = Links.of(secure);
        Path gdb = dir.resolve("ground.db");
        LinkStore gs = LinkStore.sqlite(gdb);
        LinkEndpoint ground = LinkEndpoint.open(cfg("ground", 0), gs, l.ground(), g, g, l.groundTrust());
        String addr = ground.listen("127.0.0.1:0");
        try (LinkStore ns = LinkStore.sqlite(dir.resolve("node.db"));
             LinkEndpoint node = LinkEndpoint.open(cfg("sat-1", 4_000_000), ns, l.node(), n, n)) {
            Random rnd = new Random(11);
            Map<String, byte[]> up = new HashMap<>();
            long total = 0;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] p = new byte[1_500_000];
                rnd.nextBytes(p);
                Bundle b = node.send(new Outgoing("ground", "product.image", 50, Duration.ofHours(1), p));
                up.put(b.id(), p);
                ids.add(b.id());
                total += p.length;
            }
            node.dial(addr);
            // cut in the middle of the third bundle
            LinkEndpoint first = ground;
            await().atMost(Duration.ofSeconds(30)).until(() -> g.delivered() >= 2 && first.stats("sat-1").partialIncoming() == 1);
            ground.close();
            gs.close();
            assertThat(g.delivered()).isLessThan(8);
            gs = LinkStore.sqlite(gdb);
            ground = LinkEndpoint.open(cfg("ground", 0), gs, l.ground(), g, g, l.groundTrust());
            ground.listen(addr);
            await().atMost(Duration.ofSeconds(30)).until(() -> g.delivered() == 8);
            assertThat(g.duplicates()).isZero();
            up.forEach((id, p) -> assertThat(g.payloads.get(id)).isEqualTo(p));
            assertThat(g.order).containsExactlyElementsOf(ids);
            long sent = node.stats("ground").bytesSent();
            System.out.printf("restart: payload %d, sent %d (%.2f %%)%n", total, sent, 100.0 * sent / total);
            assertThat(sent).isGreaterThanOrEqualTo(total).isLessThan(total + Core.WINDOW + 200_000);
        } finally {
            ground.close();
            gs.close();
        }
    }
}
