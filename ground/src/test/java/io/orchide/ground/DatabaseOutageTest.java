package io.orchide.ground;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.store.DatabaseUnavailable;
import io.orchide.ground.store.GroundDatabase;
import io.orchide.ground.store.Sql;
import io.orchide.image.ChunkPack;
import io.orchide.link.Bundle;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.Outgoing;
import io.orchide.link.store.LinkStore;
import io.orchide.link.store.StoreUnavailableException;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.BundleKind;
import io.orchide.testkit.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Ground on a real PostgreSQL server (Debian's, started by the test) that is stopped and started again while a node's
 * link endpoint is in the middle of a transfer: ground answers 503 {@code database_unavailable} meanwhile, and once
 * the server is back, every store and the link carry on by themselves, losing and doubling nothing.
 */
class DatabaseOutageTest {
    static PostgresServer pg;

    @TempDir
    Path tmp;
    final HttpClient http = HttpClient.newHttpClient();
    final Clock clock = Clock.systemUTC();

    @BeforeAll
    static void server() throws Exception {
        pg = PostgresServer.create();
        pg.start();
        System.out.println("outage tests on " + pg);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (pg != null) pg.close();
    }

    record Reply(int status, JsonNode body, String retryAfter) { }

    Reply call(GroundServer g, String method, String path, String body) throws Exception {
        // the timeout only keeps a hanging ground from hanging the build
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.apiAddress().getPort() + path))
                .timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), Trees.readJson(r.body()), r.headers().firstValue("Retry-After").orElse(null));
    }

    JsonNode get(GroundServer g, String path) throws Exception {
        Reply r = call(g, "GET", path, null);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    GroundServer ground(String db, long rate) throws Exception {
        return GroundServer.start(GroundConfig.builder()
                .dataDir(tmp.resolve("ground"))
                .dbUrl(db)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .linkListen("127.0.0.1:0")
                .linkRateBytesPerSecond(rate)
                .clock(clock)
                .build().withAuthBypassedForTests());
    }

    /** The test node's secure transport to {@code g}, its key registered for sat-1 there. */
    static io.orchide.link.transport.ConvergenceLayer secureNode(GroundServer g) throws java.io.IOException {
        return SecureNodes.layer(io.orchide.link.secure.KeyFiles.readPublic(g.groundPublicKey()),
                SecureNodes.registered(g, "sat-1"), "sat-1");
    }

    LinkConfig nodeLink(long rate) {
        return new LinkConfig("sat-1", Fixtures.info("n1"), rate, 0, 0, null, null, Duration.ofMillis(200), clock);
    }

    /** While the server is down, ground's API and the link's view answer 503 with a Retry-After, never 500. */
    void assertOutageAnswers(GroundServer g) throws Exception {
        for (String path : new String[]{"/api/v1/satellites", "/api/v1/link", "/api/v1/products"}) {
            Reply r = call(g, "GET", path, null);
            assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(503);
            assertThat(r.body().path("code").asText()).isEqualTo("database_unavailable");
            assertThat(r.retryAfter()).isEqualTo("5");
        }
        Reply apply = call(g, "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
        assertThat(apply.status()).isEqualTo(503);
        assertThat(apply.body().path("code").asText()).isEqualTo("database_unavailable");
    }

    @Test
    void everyStoreIncludingTheLinksWorksAgainAfterARestartWithoutBeingReopened() throws Exception {
        try (GroundDatabase db = GroundDatabase.postgres(pg.newDatabase(), 4);
             LinkStore link = LinkStore.on(db.dataSource())) {
            assertThat(db.schemaVersion()).isEqualTo(GroundDatabase.latestVersion());
            assertThat(link.maxSeq()).isZero();
            pg.stop();
            try {
                assertThatThrownBy(db::schemaVersion).isInstanceOf(DatabaseUnavailable.class);
                assertThatThrownBy(link::maxSeq).isInstanceOf(StoreUnavailableException.class);
                assertThat(db.available()).isFalse();
                assertThat(link.available()).isFalse();
            } finally {
                pg.start();
            }
            // the connections the pool held died with the server: new ones are made, nobody reopens anything
            assertThat(db.schemaVersion()).isEqualTo(GroundDatabase.latestVersion());
            assertThat(link.maxSeq()).isZero();
            assertThat(db.available()).isTrue();
            assertThat(link.available()).isTrue();
        }
    }

    @Test
    void aTransactionWhoseConnectionDiesBeforeItsCommitRunsAgainAndAppliesOnce() throws Exception {
        try (GroundDatabase db = GroundDatabase.postgres(pg.newDatabase(), 4)) {
            db.tx(c -> Sql.update(c, "CREATE TABLE t (k TEXT PRIMARY KEY)"));
            AtomicInteger runs = new AtomicInteger();
            String result = db.tx(c -> {
                Sql.update(c, "INSERT INTO t (k) VALUES ('once')");
                if (runs.incrementAndGet() == 1) {
                    // the server ends this session mid-transaction, as a restart does: 57P01, connection closed
                    try (var st = c.createStatement()) {
                        st.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                    }
                }
                return "applied";
            });
            assertThat(result).isEqualTo("applied");
            assertThat(runs.get()).isEqualTo(2);
            int rows = db.read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(1);
            assertThat(db.available()).isTrue();
        }
    }

    @Test
    void requestsDuringAnOutageAreAnsweredAndTheirRefusalsRecordedOnceTheDatabaseIsBack() throws Exception {
        Path tokenFile = tmp.resolve("admin.token");
        try (GroundServer g = GroundServer.start(GroundConfig.builder()
                .dbUrl(pg.newDatabase())
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build().withAuth(new io.orchide.ground.auth.AuthSettings(tokenFile, false)))) {
            String admin = Files.readString(tokenFile).strip();
            pg.stop();
            try {
                // no token: refused at once; its entry cannot be written now, and is kept
                Reply anonymous = call(g, "GET", "/api/v1/satellites", null);
                assertThat(anonymous.status()).isEqualTo(401);
                // a token cannot be checked without the database: 503, as for any call that needs it
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + g.apiAddress().getPort() + "/api/v1/satellites/sat-1/apply")).timeout(Duration.ofSeconds(120))
                        .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(503);
            } finally {
                pg.start();
            }
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(g.audit().query(new io.orchide.ground.audit.AuditQuery(null, null, "anonymous", null, null, 10)))
                            .singleElement().satisfies(e -> assertThat(e.entry().resource()).isEqualTo("satellites")));
            assertThat(g.auditWriter().dropped()).isZero();
        }
    }

    @Test
    void productDownlinkCutByARestartArrivesOnceAndTheLinkResumesByItself() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024];
        new Random(12).nextBytes(content);
        try (GroundServer g = ground(pg.newDatabase(), 0);
             LinkStore nodeStore = LinkStore.sqlite(tmp.resolve("node/link.db"));
             LinkEndpoint node = LinkEndpoint.open(nodeLink(1_000_000), nodeStore, secureNode(g),
                     (b, p) -> { }, LinkEvents.NONE)) {
            node.send(new Outgoing("ground", BundleKind.REPORT.wire(), 90, Duration.ofDays(1),
                    Fixtures.report("n1", clock.instant(), 3).encode()));
            node.send("product.sat-1.n1.1", new Outgoing("ground", BundleKind.PRODUCT.wire(), 40, Duration.ofDays(1),
                    Fixtures.product(1, "scan-000001", content, clock.instant()).encode()));
            node.openContact();
            node.dial(g.linkAddress());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(g, "/api/v1/satellites/sat-1/workloads").path("items")).hasSize(3));
            await().atMost(Duration.ofSeconds(30)).until(() -> node.stats("ground").bytesSent() > 1_000_000);

            pg.stop();
            try {
                assertOutageAnswers(g);
            } finally {
                pg.start();
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(g, "/api/v1/products?satellite=sat-1").path("items")).hasSize(1));
            JsonNode p = get(g, "/api/v1/products?satellite=sat-1").path("items").get(0);
            HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + g.apiAddress().getPort() + "/api/v1/products/" + p.path("id").asText() + "/content")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(got.body()).isEqualTo(content);
            await().atMost(Duration.ofSeconds(30)).until(() -> node.queued("ground").isEmpty());
            // resumed where custody stopped, not sent again from the start
            assertThat(node.stats("ground").bytesSent()).isLessThan(content.length + 2L * 1024 * 1024);
            assertThat(get(g, "/api/v1/products").path("items")).hasSize(1);
            assertThat(get(g, "/api/v1/satellites/sat-1/workloads").path("items")).hasSize(3);
            // the link store answers again (it kept one dead connection forever before)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(g, "/api/v1/link").path("peers").findValuesAsText("peer")).contains("sat-1"));
        }
    }

    @Test
    void imageUplinkCutByARestartReachesTheNodeWholeAndOnce() throws Exception {
        byte[] image = new byte[3 * 1024 * 1024];
        new Random(13).nextBytes(image);
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        AtomicLong chunkBytes = new AtomicLong();
        try (GroundServer g = ground(pg.newDatabase(), 1_000_000);
             LinkStore nodeStore = LinkStore.sqlite(tmp.resolve("node/link.db"));
             LinkEndpoint node = LinkEndpoint.open(nodeLink(0), nodeStore, secureNode(g), (Bundle b, byte[] p) -> {
                 deliveries.computeIfAbsent(b.id(), k -> new AtomicInteger()).incrementAndGet();
                 if (b.kind().equals(BundleKind.IMAGE_CHUNKS.wire())) {
                     try {
                         for (ChunkPack.Chunk c : ChunkPack.decode(p)) chunkBytes.addAndGet(c.data().length);
                     } catch (Exception e) {
                         throw new IllegalStateException(e);
                     }
                 }
             }, LinkEvents.NONE)) {
            String digest = g.images().push(new ByteArrayInputStream(image)).digest();
            g.images().uplink("sat-1", digest);
            node.openContact();
            node.dial(g.linkAddress());
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    get(g, "/api/v1/link").path("peers").path(0).path("bytesSent").asLong() > 1_000_000);

            pg.stop();
            try {
                assertOutageAnswers(g);
            } finally {
                pg.start();
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> chunkBytes.get() >= image.length);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(g, "/api/v1/link").path("peers").path(0).path("queuedBundles").asLong()).isZero());
            assertThat(chunkBytes.get()).isEqualTo(image.length);
            assertThat(get(g, "/api/v1/link").path("peers").path(0).path("bytesSent").asLong())
                    .isLessThan(image.length + 2L * 1024 * 1024);
            assertThat(deliveries).isNotEmpty();
            assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
            assertThat(deliveries.keySet()).anyMatch(id -> id.startsWith("image.sat-1.")).anyMatch(id -> id.startsWith("chunks.sat-1."));
        }
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void groundStartsWithoutItsDatabaseAnswers503AndBecomesReadyWhenItComesWithoutARestart() throws Exception {
        String db = pg.newDatabase();
        java.security.KeyPair nodeKeys = io.orchide.link.secure.KeyFiles.generate();
        int linkPort = freePort();
        pg.stop();
        GroundServer g;
        try {
            g = GroundServer.start(GroundConfig.builder()
                    .dataDir(tmp.resolve("ground"))
                    .dbUrl(db)
                    .listen(new InetSocketAddress("127.0.0.1", 0))
                    .linkListen("127.0.0.1:" + linkPort)
                    .clock(clock)
                    .build().withAuthBypassedForTests());
        } catch (Exception e) {
            pg.start();
            throw e;
        }
        try (g; LinkStore nodeStore = LinkStore.sqlite(tmp.resolve("node/link.db"));
             LinkEndpoint node = LinkEndpoint.open(nodeLink(0), nodeStore,
                     SecureNodes.layer(io.orchide.link.secure.KeyFiles.readPublic(g.groundPublicKey()), nodeKeys, "sat-1"),
                     (b, p) -> { }, LinkEvents.NONE)) {
            try {
                assertOutageAnswers(g);
                Reply health = call(g, "GET", "/api/v1/health", null);
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.body().path("ready").asBoolean()).isFalse();
                assertThat(health.body().path("reason").asText()).startsWith("starting");
                assertThat(health.body().path("database").path("state").asText()).isEqualTo("down");
                assertThat(health.body().path("database").path("since").isTextual()).isTrue();
                Reply ready = call(g, "GET", "/api/v1/ready", null);
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.retryAfter()).isEqualTo("5");
                // no link listener yet: a node's dial is refused at once and it tries its other addresses
                assertThat(g.linkAddress()).isNull();
                assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", linkPort).close())
                        .isInstanceOf(java.net.ConnectException.class);
                node.send(new Outgoing("ground", BundleKind.REPORT.wire(), 90, Duration.ofDays(1),
                        Fixtures.report("n1", clock.instant(), 2).encode()));
                node.openContact();
                node.dial("127.0.0.1:" + linkPort); // keeps dialling on its own
            } finally {
                pg.start();
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> call(g, "GET", "/api/v1/ready", null).status() == 200);
            assertThat(g.ready()).isTrue();
            assertThat(g.linkAddress()).isEqualTo("127.0.0.1:" + linkPort);
            g.nodeKeys().register("sat-1", nodeKeys.getPublic(), "test"); // an operator registers its key now
            JsonNode up = get(g, "/api/v1/health");
            assertThat(up.path("status").asText()).isEqualTo("ok");
            assertThat(up.path("database").path("state").asText()).isEqualTo("up");
            assertThat(call(g, "POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP).status()).isEqualTo(201);
            // the node that dialled in vain meanwhile gets its session without anyone's help
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(get(g, "/api/v1/satellites/sat-1/workloads").path("items")).hasSize(2));

            // later, the database going away takes the replica out of a load balancer's rotation, and back
            pg.stop();
            try {
                Reply down = call(g, "GET", "/api/v1/ready", null);
                assertThat(down.status()).isEqualTo(503);
                assertThat(down.body().path("reason").asText()).isEqualTo("the database is unavailable");
                Reply health = call(g, "GET", "/api/v1/health", null);
                assertThat(health.status()).isEqualTo(200);
                assertThat(health.body().path("status").asText()).isEqualTo("database_unavailable");
                assertThat(health.body().path("database").path("state").asText()).isEqualTo("down");
            } finally {
                pg.start();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> call(g, "GET", "/api/v1/ready", null).status() == 200);
        }
    }

    @Test
    void aQueryAgainstAFrozenServerFailsAsUnavailableInsteadOfHanging() throws Exception {
        // the URL's socketTimeout wins over ground's default (60 s, PostgresUrlTest), to keep this test short
        try (GroundDatabase db = GroundDatabase.postgres(pg.newDatabase() + "&socketTimeout=2", 4)) {
            assertThat(db.schemaVersion()).isEqualTo(GroundDatabase.latestVersion());
            pg.pause();
            try {
                java.util.concurrent.CompletableFuture<Integer> q =
                        java.util.concurrent.CompletableFuture.supplyAsync(db::schemaVersion);
                // the bound only keeps a hanging query from hanging the build: without a socket timeout it never ends
                assertThat(q).failsWithin(Duration.ofSeconds(120))
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(DatabaseUnavailable.class);
                assertThat(db.available()).isFalse();
                // the next one opens a new connection, which the frozen server accepts and never answers either
                assertThat(java.util.concurrent.CompletableFuture.supplyAsync(db::schemaVersion))
                        .failsWithin(Duration.ofSeconds(120))
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .withCauseInstanceOf(DatabaseUnavailable.class);
            } finally {
                pg.resume();
            }
            assertThat(db.schemaVersion()).isEqualTo(GroundDatabase.latestVersion());
            assertThat(db.available()).isTrue();
        }
    }

    @Test
    void chunksWhoseAcknowledgementOutlivedTheirBookkeepingAreHeldOnceTheDatabaseIsBack() throws Exception {
        byte[] image = new byte[2 * 1024 * 1024 + 12345];
        new Random(14).nextBytes(image);
        try (GroundServer g = ground(pg.newDatabase(), 0);
             LinkStore replica = LinkStore.on(g.database().dataSource())) {
            String digest = g.images().push(new ByteArrayInputStream(image)).digest();
            g.images().uplink("sat-1", digest);
            var sent = g.images().chunkCounts("sat-1");
            assertThat(sent.sent()).isPositive();
            assertThat(sent.held()).isZero();
            java.util.List<Bundle> packs = replica.queued().stream().map(LinkStore.OutRow::bundle)
                    .filter(b -> b.kind().equals(BundleKind.IMAGE_CHUNKS.wire())).toList();
            assertThat(packs).isNotEmpty();

            // the link records the satellite's custody of every pack in its store, as on an acknowledgement ...
            for (Bundle b : packs) assertThat(replica.finishOut(b.id(), LinkStore.ACKED, b.size())).isTrue();
            pg.stop();
            try {
                // ... and the database is gone when ground's bookkeeping of it runs
                for (Bundle b : packs) {
                    assertThatThrownBy(() -> g.linkEvents().acknowledged(b)).isInstanceOf(DatabaseUnavailable.class);
                }
            } finally {
                pg.start();
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(g.images().chunkCounts("sat-1")).isEqualTo(new io.orchide.ground.image.Images.ChunkCounts(
                            sent.sent(), sent.sent())));
        }
    }

    @Test
    void chunksAcknowledgedJustBeforeAReplicaDiedAreHeldWhenGroundStartsAgain() throws Exception {
        byte[] image = new byte[1024 * 1024 + 777];
        new Random(15).nextBytes(image);
        String db = pg.newDatabase();
        long sent;
        try (GroundServer g = ground(db, 0);
             LinkStore replica = LinkStore.on(g.database().dataSource())) {
            String digest = g.images().push(new ByteArrayInputStream(image)).digest();
            g.images().uplink("sat-1", digest);
            sent = g.images().chunkCounts("sat-1").sent();
            // custody recorded by the link, and the process gone before its bookkeeping ran
            for (LinkStore.OutRow r : replica.queued()) {
                if (r.bundle().kind().equals(BundleKind.IMAGE_CHUNKS.wire())) {
                    replica.finishOut(r.bundle().id(), LinkStore.ACKED, r.bundle().size());
                }
            }
            assertThat(g.images().chunkCounts("sat-1").held()).isZero();
        }
        try (GroundServer again = ground(db, 0)) {
            assertThat(again.images().chunkCounts("sat-1"))
                    .isEqualTo(new io.orchide.ground.image.Images.ChunkCounts(sent, sent));
        }
    }

    @Test
    void aFrozenDatabaseGetsTheApi503AndTakesTheReplicaOutOfRotationInsteadOfHangingIt() throws Exception {
        try (GroundServer g = ground(pg.newDatabase() + "&socketTimeout=2", 0)) {
            assertThat(call(g, "GET", "/api/v1/ready", null).status()).isEqualTo(200);
            pg.pause();
            try {
                Reply r = call(g, "GET", "/api/v1/satellites", null);
                assertThat(r.status()).as("%s", r.body()).isEqualTo(503);
                assertThat(r.body().path("code").asText()).isEqualTo("database_unavailable");
                Reply ready = call(g, "GET", "/api/v1/ready", null);
                assertThat(ready.status()).isEqualTo(503);
                assertThat(ready.body().path("database").path("state").asText()).isEqualTo("down");
            } finally {
                pg.resume();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> call(g, "GET", "/api/v1/ready", null).status() == 200);
        }
    }
}
