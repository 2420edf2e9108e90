package io.orchide.ground.auth;

import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.SecureNodes;
import io.orchide.ground.audit.AuditQuery;
import io.orchide.ground.audit.AuditRecord;
import io.orchide.ground.audit.Outcome;
import io.orchide.link.Bundle;
import io.orchide.link.LinkConfig;
import io.orchide.link.LinkEndpoint;
import io.orchide.link.LinkEvents;
import io.orchide.link.Outgoing;
import io.orchide.link.secure.KeyFiles;
import io.orchide.link.store.LinkStore;
import io.orchide.model.message.BundleKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real ground with its secure link and its API: node keys registered by an operator (a developer may not), a node
 * with a registered key served, one with another key (a rogue claiming the same satellite) refused before any bundle
 * and the attempt audited, a revoked key refused at its next contact.
 */
class NodeKeysLinkTest {
    @TempDir
    Path tmp;
    GroundServer ground;
    Api admin;
    PublicKey groundKey;

    @BeforeEach
    void start() throws Exception {
        Path tokenFile = tmp.resolve("admin.token");
        GroundConfig cfg = GroundConfig.builder().dataDir(tmp.resolve("ground"))
                .listen(new InetSocketAddress("127.0.0.1", 0)).linkListen("127.0.0.1:0").build().withAuth(new AuthSettings(tokenFile, false));
        ground = GroundServer.start(cfg);
        await().atMost(Duration.ofSeconds(30)).until(() -> ground.ready());
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        groundKey = KeyFiles.readPublic(ground.groundPublicKey());
        assertThat(ground.groundPublicKey()).isEqualTo(tmp.resolve("ground/ground.pub"));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("ground/ground.key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    private static String body(String name, PublicKey... keys) {
        StringBuilder b = new StringBuilder("{\"name\": \"" + name + "\", \"nodeKeys\": [");
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) b.append(", ");
            b.append('"').append(KeyFiles.pem(keys[i]).replace("\n", "\\n")).append('"');
        }
        return b.append("]}").toString();
    }

    private record Node(LinkStore store, LinkEndpoint endpoint, Map<String, byte[]> got) implements AutoCloseable {
        @Override
        public void close() {
            endpoint.close();
            store.close();
        }
    }

    private Node node(String dir, KeyPair keys) {
        Map<String, byte[]> got = new ConcurrentHashMap<>();
        LinkStore store = LinkStore.sqlite(tmp.resolve(dir + "/link.db"));
        LinkEndpoint ep = LinkEndpoint.open(new LinkConfig("sat-1", Fixtures.info("n1"), 0, 0, 0, null, null,
                        Duration.ofMillis(100), null), store, SecureNodes.layer(groundKey, keys, "sat-1"),
                (Bundle b, byte[] p) -> got.put(b.id(), p), LinkEvents.NONE);
        ep.send(new Outgoing("ground", BundleKind.REPORT.wire(), 90, Duration.ofHours(1),
                Fixtures.report("n1", java.time.Instant.now(), 2).encode()));
        return new Node(store, ep, got);
    }

    private List<AuditRecord> refusals(String actor) {
        return ground.audit().query(new AuditQuery(null, null, actor, Outcome.DENIED, null, 50));
    }

    @Test
    void anOperatorRegistersNodeKeysADeveloperMayNotAndABadKeyIsRefusedByField() throws Exception {
        KeyPair n1 = KeyFiles.generate(), n2 = KeyFiles.generate();
        Api operator = admin.as(admin.token(null, "operator", "1d"));
        Api.Reply made = operator.post("/api/v1/satellites", body("sat-1", n1.getPublic(), n2.getPublic()));
        assertThat(made.status()).as(made.json().toString()).isEqualTo(201);
        assertThat(made.json().path("nodeKeys").findValuesAsText("fingerprint"))
                .containsExactlyInAnyOrder(KeyFiles.fingerprint(n1.getPublic()), KeyFiles.fingerprint(n2.getPublic()));
        assertThat(made.json().path("nodeKeys").findValuesAsText("state")).containsOnly("active");

        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        Api developer = admin.as(admin.token("ocean", "developer", "1d"));
        assertThat(developer.post("/api/v1/satellites", body("sat-2", KeyFiles.generate().getPublic())).status()).isEqualTo(403);
        assertThat(developer.delete("/api/v1/satellites/sat-1/keys/" + KeyFiles.fingerprint(n1.getPublic())).status()).isEqualTo(403);

        Api.Reply bad = operator.post("/api/v1/satellites", "{\"name\": \"sat-3\", \"nodeKeys\": [\"not a key\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").path(0).path("field").asText()).isEqualTo("nodeKeys[0]");
        assertThat(ground.fleet().get("sat-3")).isEmpty();
        Api.Reply none = operator.post("/api/v1/satellites", "{\"name\": \"sat-3\"}");
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().path("errors").path(0).path("field").asText()).isEqualTo("nodeKeys");
    }

    @Test
    void onlyANodeWithAnActiveRegisteredKeyIsServedAndEveryOtherAttemptIsAudited() throws Exception {
        KeyPair real = KeyFiles.generate(), rogue = KeyFiles.generate();
        assertThat(admin.post("/api/v1/satellites", body("sat-1", real.getPublic())).status()).isEqualTo(201);
        ground.desired().apply("sat-1", Fixtures.APP);

        try (Node impostor = node("rogue", rogue)) {
            impostor.endpoint().dial(ground.linkAddress());
            await().atMost(Duration.ofSeconds(30)).until(() -> !refusals(KeyFiles.fingerprint(rogue.getPublic())).isEmpty());
            AuditRecord r = refusals(KeyFiles.fingerprint(rogue.getPublic())).get(0);
            assertThat(r.entry().resource()).isEqualTo("satellites/sat-1/link");
            assertThat(r.entry().verb()).isEqualTo("connect");
            assertThat(r.entry().source()).startsWith("127.0.0.1:");
            assertThat(r.entry().detail()).contains("is not registered for satellite 'sat-1'");
            impostor.endpoint().closeContact();
            assertThat(impostor.got()).isEmpty();
            assertThat(ground.fleet().get("sat-1").orElseThrow().nodes()).isEmpty();
        }

        try (Node good = node("real", real)) {
            good.endpoint().dial(ground.linkAddress());
            await().atMost(Duration.ofSeconds(30)).until(() -> good.got().containsKey("desired.sat-1.App.hello.1"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !ground.fleet().get("sat-1").orElseThrow().nodes().isEmpty());
            good.endpoint().closeContact();
        }

        String fp = KeyFiles.fingerprint(real.getPublic());
        assertThat(ground.audit().query(new AuditQuery(null, null, fp, Outcome.ALLOWED, null, 50)))
                .as("the accepted contact is audited, by its key").anySatisfy(e -> {
                    assertThat(e.entry().verb()).isEqualTo("connect");
                    assertThat(e.entry().resource()).isEqualTo("satellites/sat-1/link");
                });
        Api.Reply revoked = admin.delete("/api/v1/satellites/sat-1/keys/" + fp);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("nodeKeys").path(0).path("state").asText()).isEqualTo("revoked");
        assertThat(admin.post("/api/v1/satellites", body("sat-1", real.getPublic())).status())
                .as("a revoked key is not registered again").isEqualTo(409);
        try (Node again = node("real-again", real)) {
            again.endpoint().dial(ground.linkAddress());
            await().atMost(Duration.ofSeconds(30)).until(() -> refusals(fp).stream()
                    .anyMatch(e -> e.entry().detail().contains("was revoked")));
        }
    }
}
