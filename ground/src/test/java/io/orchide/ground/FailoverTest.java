package io.orchide.ground;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.link.Bundle;
import io.orchide.link.DialStatus;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.Outgoing;
import io.orchide.link.store.LinkStore;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.BundleKind;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ground replicas on one PostgreSQL and real nodes' link endpoints dialling all of them: a replica that crashes (a
 * JVM killed with SIGKILL), freezes (SIGSTOP: only the silence of its sessions tells) or stops cleanly, and the node
 * moving on its own to the other; two replicas applying and
 * taking reports at once.
 */
class FailoverTest {
    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newHttpClient();
    final Clock clock = Clock.systemUTC();

    /** A node's link endpoint and what reached it. */
    final class Node implements AutoCloseable {
        final String satellite;
        final LinkStore store;
        final LinkEndpoint endpoint;
        final Map<String, Integer> delivered = new ConcurrentHashMap<>();
        final List<String> refusals = new CopyOnWriteArrayList<>();

        Node(String satellite, String nodeName) throws Exception {
            this(satellite, nodeName, null);
        }

        /** A node whose dialler pauses {@code retryDelay} after a failed round (null: the default, 1 s). */
        Node(String satellite, String nodeName, Duration retryDelay) throws Exception {
            this(satellite, nodeName, retryDelay, null, null);
        }

        /** ... whose sessions send keepalives after {@code keepalive} and die after {@code idle} (null: defaults). */
        Node(String satellite, String nodeName, Duration retryDelay, Duration keepalive, Duration idle) throws Exception {
            this.satellite = satellite;
            store = LinkStore.sqlite(tmp.resolve(satellite + "/link.db"));
            java.security.KeyPair keys = io.orchide.link.secure.KeyFiles.generate();
            try (io.orchide.ground.store.GroundDatabase db = io.orchide.ground.store.GroundDatabase.postgres(url, 1)) {
                new io.orchide.ground.fleet.NodeKeys(db, clock).register(satellite, keys.getPublic(), "test");
            }
            java.security.PublicKey groundKey = io.orchide.link.secure.KeyFiles.readPublic(
                    groundKeyFile().resolveSibling("ground.pub"));
            endpoint = LinkEndpoint.open(new LinkConfig(satellite, Fixtures.info(nodeName), 0, 0, 0, null, null,
                    retryDelay, clock, keepalive, idle),
                    store, SecureNodes.layer(groundKey, keys, satellite), (Bundle b, byte[] p) -> delivered.merge(b.id(), 1, Integer::sum),
                    new LinkEvents() {
                        @Override
                        public void rejected(String peer, String bundleId, String reason) {
                            refusals.add(reason);
                        }

                    });
        }

        void report(String nodeName, int workloads) {
            endpoint.send(new Outgoing("ground", BundleKind.REPORT.wire(), BundleKind.REPORT.priority(), Duration.ofHours(1),
                    Fixtures.report(nodeName, clock.instant(), workloads).encode()));
        }

        /** Whether a session with ground is up at {@code address}. */
        boolean servedAt(String address) {
            DialStatus d = endpoint.dialStatus();
            return d != null && d.connected() && address.equals(d.current());
        }

        @Override
        public void close() {
            endpoint.close();
            store.close();
        }
    }

    JsonNode call(int apiPort, String method, String path, String body) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        return Trees.readJson(r.body());
    }

    GroundServer replica(String url, Duration lease) throws Exception {
        return GroundServer.start(GroundConfig.builder()
                .dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .linkListen("127.0.0.1:0")
                .clock(clock)
                .sessionLease(lease)
                .groundKeyFile(groundKeyFile())
                .build().withAuthBypassedForTests());
    }

    /** The link key all replicas of the test's ground share (made by the first replica to start). */
    Path groundKeyFile() {
        return ReplicaProcess.keyFile(tmp.resolve("replica-a.log"));
    }

    /** The test's database; nodes register their keys in it. */
    String database() throws Exception {
        url = TestPostgres.newDatabase();
        return url;
    }

    private String url;

    static String app(String name) {
        return Fixtures.APP.replace("name: hello", "name: " + name);
    }

    @Test
    void aNodeWhoseReplicaIsKilledMovesToTheOtherWhenTheLeaseEndsAndIsServedThere() throws Exception {
        String url = database();
        Duration lease = Duration.ofSeconds(6);
        try (ReplicaProcess a = ReplicaProcess.start(url, lease, tmp.resolve("replica-a.log"));
             GroundServer b = replica(url, lease);
             Node node = new Node("sat-1", "n1")) {
            node.report("n1", 2);
            node.endpoint.dial(a.linkAddress + "," + b.linkAddress());
            await().atMost(Duration.ofSeconds(30)).until(() -> node.servedAt(a.linkAddress));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(call(b.apiAddress().getPort(), "GET", "/api/v1/satellites/sat-1/workloads", null)
                            .path("items")).hasSize(2));

            a.kill();

            await().atMost(Duration.ofSeconds(60)).until(() -> node.servedAt(b.linkAddress()));
            // B refused the node while A's lease ran, naming A's lease and when it expires
            assertThat(node.refusals).anySatisfy(r -> assertThat(r)
                    .contains("session with sat-1 is held by ground-").contains("-" + a.process.pid() + "-")
                    .contains("under a lease that expires at"));
            // and B serves it now: a change applied through B reaches it, its report reaches B
            call(b.apiAddress().getPort(), "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.delivered.containsKey("desired.sat-1.App.hello.1"));
            node.report("n1", 3);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(call(b.apiAddress().getPort(), "GET", "/api/v1/satellites/sat-1/workloads", null)
                            .path("items")).hasSize(3));
        }
    }

    @Test
    void aNodeWhoseReplicaIsFrozenEndsTheSilentSessionAndMovesToTheOtherWhichTheResumedReplicaLeavesAlone()
            throws Exception {
        String url = database();
        // short enough to keep the test brief; the lease ends before the idle timeout, as with the defaults
        Duration lease = Duration.ofSeconds(3), keepalive = Duration.ofMillis(500), idle = Duration.ofSeconds(4);
        try (ReplicaProcess a = ReplicaProcess.start(url, lease, tmp.resolve("replica-a.log"), keepalive, idle);
             GroundServer b = GroundServer.start(GroundConfig.builder()
                     .dbUrl(url)
                     .listen(new InetSocketAddress("127.0.0.1", 0))
                     .linkListen("127.0.0.1:0")
                     .clock(clock)
                     .sessionLease(lease)
                     .linkKeepalive(keepalive)
                     .linkIdleTimeout(idle)
                     .groundKeyFile(groundKeyFile())
                     .build().withAuthBypassedForTests());
             Node node = new Node("sat-1", "n1", null, keepalive, idle)) {
            node.report("n1", 2);
            node.endpoint.dial(a.linkAddress + "," + b.linkAddress());
            await().atMost(Duration.ofSeconds(30)).until(() -> node.servedAt(a.linkAddress));

            a.freeze();
            try {
                // A's kernel keeps the connection open: only the silence tells the node that A is gone
                await().atMost(Duration.ofSeconds(60)).until(() -> node.servedAt(b.linkAddress()));
                // the session with B is up; the last one that ended is A's, ended as dead
                assertThat(node.endpoint.stats("ground").lastSessionEnd())
                        .startsWith("dead: nothing received from ground for ");
                node.report("n1", 3);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(call(b.apiAddress().getPort(), "GET", "/api/v1/satellites/sat-1/workloads", null)
                                .path("items")).hasSize(3));
            } finally {
                a.resume();
            }

            // A, running again, finds its session gone and its lease taken: it drops the session, and B keeps it
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(call(a.apiPort, "GET", "/api/v1/link",
                    null).path("peers")).anySatisfy(p -> {
                        assertThat(p.path("peer").asText()).isEqualTo("sat-1");
                        assertThat(p.path("connected").asBoolean()).isFalse();
                    }));
            assertThat(node.servedAt(b.linkAddress())).isTrue();
            assertThat(call(b.apiAddress().getPort(), "GET", "/api/v1/link", null).path("peers").get(0)
                    .path("connected").asBoolean()).isTrue();
            // a change applied through A reaches the node through B
            call(a.apiPort, "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.delivered.containsKey("desired.sat-1.App.hello.1"));
            assertThat(node.servedAt(b.linkAddress())).isTrue();
        }
    }

    @Test
    void aReplicaStoppingCleanlyHandsTheSessionBackAndTheOtherServesTheNodeWithoutARefusal() throws Exception {
        String url = database();
        // the default lease: had A kept it, B would refuse the node for up to ten seconds; and a node that redials
        // at once (its session lasted longer than its longest pause), so that it reaches B as soon as A is gone
        try (GroundServer b = replica(url, null); Node node = new Node("sat-1", "n1", Duration.ofMillis(20))) {
            GroundServer a = replica(url, null);
            try {
                node.report("n1", 2);
                node.endpoint.dial(a.linkAddress() + "," + b.linkAddress());
                await().atMost(Duration.ofSeconds(30)).until(() -> node.servedAt(a.linkAddress()));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(call(b.apiAddress().getPort(), "GET", "/api/v1/satellites/sat-1/workloads", null)
                                .path("items")).hasSize(2));
            } finally {
                a.close();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> node.servedAt(b.linkAddress()));
            assertThat(node.refusals).isEmpty();
            call(b.apiAddress().getPort(), "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.delivered.containsKey("desired.sat-1.App.hello.1"));
        }
    }

    @Test
    void twoReplicasApplyingAndTakingReportsAtOnceSendEachChangeOnceAndShowTheSameState() throws Exception {
        String url = database();
        int apps = 8;
        try (GroundServer a = replica(url, null); GroundServer b = replica(url, null);
             Node one = new Node("sat-1", "n1"); Node two = new Node("sat-2", "n2")) {
            one.endpoint.dial(a.linkAddress() + "," + b.linkAddress());
            two.endpoint.dial(b.linkAddress() + "," + a.linkAddress());
            await().atMost(Duration.ofSeconds(30)).until(() -> one.servedAt(a.linkAddress()) && two.servedAt(b.linkAddress()));

            // every app to both satellites, through both replicas at once, while both nodes report
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<JsonNode>> applies = new ArrayList<>();
            try {
                for (int i = 0; i < apps; i++) {
                    String manifest = app("app-" + i);
                    for (String sat : List.of("sat-1", "sat-2")) {
                        for (GroundServer through : List.of(a, b)) {
                            applies.add(pool.submit(() -> call(through.apiAddress().getPort(), "POST",
                                    "/api/v1/satellites/" + sat + "/apply", manifest)));
                        }
                    }
                }
                for (int r = 1; r <= 4; r++) {
                    one.report("n1", r);
                    two.report("n2", r + 1);
                }
                for (Future<JsonNode> f : applies) f.get();
            } finally {
                pool.shutdownNow();
            }

            for (Node n : List.of(one, two)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> n.delivered.keySet().stream()
                        .filter(id -> id.startsWith("desired.")).count() == apps);
                // one bundle per app: the same manifest applied through both replicas is one change, generation 1
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < apps; i++) expected.add("desired." + n.satellite + ".App.app-" + i + ".1");
                assertThat(n.delivered.keySet()).filteredOn(id -> id.startsWith("desired."))
                        .containsExactlyInAnyOrderElementsOf(expected);
                assertThat(n.delivered.values()).containsOnly(1);
            }
            for (GroundServer g : List.of(a, b)) {
                for (String sat : List.of("sat-1", "sat-2")) {
                    JsonNode desired = call(g.apiAddress().getPort(), "GET", "/api/v1/satellites/" + sat + "/desired", null);
                    assertThat(desired.path("items")).hasSize(apps);
                    assertThat(desired.path("items").findValuesAsText("generation")).containsOnly("1");
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(call(g.apiAddress().getPort(), "GET", "/api/v1/satellites/sat-1/workloads", null)
                            .path("items")).hasSize(4);
                    assertThat(call(g.apiAddress().getPort(), "GET", "/api/v1/satellites/sat-2/workloads", null)
                            .path("items")).hasSize(5);
                });
            }
            assertThat(one.refusals).isEmpty();
            assertThat(two.refusals).isEmpty();
        }
    }
}
