package io.orchide.node;

import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.PeerContact;
import io.orchide.model.message.MessageException;
import io.orchide.model.message.NodeHello;
import io.orchide.link.store.LinkStore;
import io.orchide.link.transport.TcpConvergenceLayer;
import io.orchide.model.Monitor;
import io.orchide.model.App;
import io.orchide.runtime.Driver;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.node.api.NodeToken;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.workload.Capacity;
import io.orchide.runtime.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeAgentStartTest {
    @TempDir
    Path dir;

    /** A driver whose probe takes as long as the test wants: a KVM probe on a loaded host. */
    static final class SlowProbe implements Driver {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch probing = new CountDownLatch(1);

        @Override
        public List<Probe> probe() {
            probing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new Probe("qemu x86_64", true, "slow", Map.of()));
        }

        @Override
        public List<Monitor> monitors() {
            return List.of(Monitor.QEMU);
        }

        @Override
        public Launch prepare(App app, Path dir) throws LaunchException {
            throw new LaunchException("spec.runtime.monitor", "qemu", "not launched in this test");
        }

        @Override
        public void requestStop(App app, RunningWorkload w) { }

        @Override
        public void kill(App app, RunningWorkload w) { }

        @Override
        public ExitStatus decode(App app, RawExit raw) {
            throw new UnsupportedOperationException();
        }
    }

    private String bearer() throws java.io.IOException {
        return "Bearer " + NodeToken.read(NodeLayout.of(dir.resolve("node")).token()).value();
    }

    final List<NodeHello> hellos = new CopyOnWriteArrayList<>();

    void setContact(NodeAgent agent, boolean open) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + agent.address().getPort() + "/api/v1/link")).header("Authorization", bearer())
                .POST(HttpRequest.BodyPublishers.ofString("{\"open\": " + open + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void theApiAndTheLinkToGroundStartWhileTheMonitorsAreStillBeingProbed() throws Exception {
        SlowProbe slow = new SlowProbe();
        try (LinkStore groundStore = LinkStore.sqlite(dir.resolve("ground-link.db"));
             LinkEndpoint ground = LinkEndpoint.open(LinkConfig.of("ground", "{}"), groundStore,
                     new TcpConvergenceLayer(), (bundle, payload) -> { }, new LinkEvents() {
                         @Override
                         public void contactOpened(PeerContact peer) {
                             try {
                                 hellos.add(NodeHello.decode(peer.info()));
                             } catch (MessageException e) {
                                 throw new AssertionError("the node's hello does not decode: " + peer.info(), e);
                             }
                         }
                     })) {
            String address = ground.listen("127.0.0.1:0");
            NodeConfig cfg = new NodeConfig(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0),
                    new Capacity(2, 512), null, null, 64 * 1024, null, null,
                    new NodeConfig.GroundSettings("sat-1", address, "node-1", 0, null), null);
            try (NodeAgent agent = NodeAgent.start(cfg, rc -> List.of(slow))) {
                slow.probing.await(); // the probe has begun and does not end until released below
                HttpResponse<String> node = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + agent.address().getPort() + "/api/v1/node"))
                                .header("Authorization", bearer()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(node.statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(30)).until(() -> ground.peers().stream()
                        .anyMatch(p -> p.peer().equals("sat-1") && p.connected()));
                assertThat(slow.release.getCount()).isEqualTo(1); // all of the above happened with the probe unfinished
                assertThat(hellos.getFirst().monitors()).isEmpty(); // nothing is said to work before it was probed

                slow.release.countDown();
                // a session begun once the probe has ended names what it found (the probe's own thread tells the link)
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    int before = hellos.size();
                    setContact(agent, false);
                    setContact(agent, true);
                    await().atMost(Duration.ofSeconds(20)).until(() -> hellos.size() > before);
                    assertThat(hellos.getLast().monitors()).containsExactly("qemu x86_64");
                });
            } finally {
                slow.release.countDown();
            }
        }
    }
    @Test
    void theAgentMakesItsTokenAtFirstStartKeepsItAcrossRestartsAndServesOnlyItsHolders() throws Exception {
        NodeConfig cfg = new NodeConfig(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0),
                new Capacity(2, 512), null, null, 64 * 1024, null);
        String first;
        try (NodeAgent agent = NodeAgent.start(cfg, rc -> List.of())) {
            first = bearer();
            assertThat(get(agent, "/api/v1/node", null).statusCode()).isEqualTo(401);
            assertThat(get(agent, "/api/v1/node", first).statusCode()).isEqualTo(200);
            assertThat(get(agent, "/api/v1/health", null).statusCode()).isEqualTo(200);
        }
        try (NodeAgent agent = NodeAgent.start(cfg, rc -> List.of())) {
            assertThat(bearer()).isEqualTo(first);
            assertThat(get(agent, "/api/v1/workloads", first).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anAgentWhoseTokenFileOthersMayReadDoesNotStart() throws Exception {
        NodeConfig cfg = new NodeConfig(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0),
                new Capacity(2, 512), null, null, 64 * 1024, null);
        try (NodeAgent agent = NodeAgent.start(cfg, rc -> List.of())) {
            assertThat(agent.address().getPort()).isPositive();
        }
        Path token = NodeLayout.of(dir.resolve("node")).token();
        java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NodeAgent.start(cfg, rc -> List.of()))
                .hasMessageContaining("permissions 0644 for " + token + " are too open");
        java.nio.file.Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (NodeAgent agent = NodeAgent.start(cfg, rc -> List.of())) { // the refused start left the directory unlocked
            assertThat(agent.address().getPort()).isPositive();
        }
    }

    private static HttpResponse<String> get(NodeAgent agent, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.address().getPort() + path));
        if (authorization != null) b.header("Authorization", authorization);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
