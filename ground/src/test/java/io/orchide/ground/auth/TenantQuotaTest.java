package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.ProductPayload;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.orchide.ground.auth.TenantIsolationTest.app;
import static io.orchide.ground.auth.TenantIsolationTest.names;
import static io.orchide.ground.auth.TenantIsolationTest.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground's quotas per tenant over real HTTP, on SQLite and on PostgreSQL (there with two replicas on one database):
 * Apps and Pipelines, image bytes, uplink bytes per UTC day, product bytes kept. A request over a quota is refused
 * with 403 {@code quota_exceeded} naming the quota, the limit, the use and the request, changes nothing, and is in
 * the audit log; the tenant's use shows on its tenant route.
 */
class TenantQuotaTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SAT = "/api/v1/satellites/sat-1";

    @TempDir
    Path tmp;
    final List<GroundServer> grounds = new ArrayList<>();
    MutableClock clock;
    FakeUplink uplink;
    Api admin, ocean, fire, oceanAdmin;
    /** ocean's developer on the second replica (PostgreSQL), or on the one there is (SQLite). */
    Api ocean2;

    @AfterEach
    void stop() {
        grounds.forEach(GroundServer::close);
    }

    void start(String backend, String oceanQuota) throws Exception {
        clock = new MutableClock(T0);
        uplink = new FakeUplink(clock);
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        Path tokenFile = tmp.resolve("admin.token");
        grounds.add(GroundServer.start(GroundConfig.builder().dataDir(url == null ? tmp : null).dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock).build().withAuth(new AuthSettings(tokenFile, false)), uplink));
        admin = new Api(grounds.getFirst().apiAddress().getPort(), Files.readString(tokenFile).strip());
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\", \"quota\": \"" + oceanQuota + "\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"fire\"}").status()).isEqualTo(201);
        ocean = admin.as(admin.token("ocean", "developer", "1d"));
        fire = admin.as(admin.token("fire", "developer", "1d"));
        oceanAdmin = admin.as(admin.token("ocean", "tenant-admin", "1d"));
        ocean2 = ocean;
        if (url != null) {
            grounds.add(GroundServer.start(GroundConfig.builder().dataDir(tmp.resolve("b")).dbUrl(url)
                    .listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock).build().withAuth(new AuthSettings(tmp.resolve("b.token"), false)), uplink));
            ocean2 = new Api(grounds.get(1).apiAddress().getPort(), ocean.token());
        }
    }

    JsonNode usage(String tenant) throws Exception {
        Api.Reply r = admin.get("/api/v1/tenants/" + tenant);
        assertThat(r.status()).isEqualTo(200);
        return r.json().path("usage");
    }

    static void refused(Api.Reply r, String quota, long limit, long used, long requested) {
        assertThat(r.status()).as("%s", r.json()).isEqualTo(403);
        assertThat(r.code()).isEqualTo("quota_exceeded");
        assertThat(r.json().path("quota").asText()).isEqualTo(quota);
        assertThat(r.json().path("limit").asLong()).isEqualTo(limit);
        assertThat(r.json().path("used").asLong()).isEqualTo(used);
        assertThat(r.json().path("requested").asLong()).isEqualTo(requested);
        assertThat(r.json().path("message").asText()).contains("quota " + quota, "limit " + limit, "used " + used,
                "requested " + requested);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anApplyOverTheCountOfAppsOrPipelinesIsRefusedAndAuditedAndChangesNothing(String backend) throws Exception {
        start(backend, "apps=2,pipelines=1");
        assertThat(ocean.post(SAT + "/apply", app("a", null, "/opt/a.elf") + "---\n" + app("b", null, "/opt/b.elf")).status())
                .isEqualTo(201);
        int before = admin.get(SAT + "/desired").json().path("items").size();

        // a batch with one new App over the count: nothing of it is applied, the pipeline beside it neither
        Api.Reply r = ocean.post(SAT + "/apply", pipeline("scan", "a") + "---\n" + app("c", null, "/opt/c.elf"));
        refused(r, "apps", 2, 2, 1);
        assertThat(r.json().path("tenant").asText()).isEqualTo("ocean");
        assertThat(admin.get(SAT + "/desired").json().path("items")).hasSize(before);
        assertThat(admin.get("/api/v1/audit?outcome=denied").json().path("items")).anySatisfy(e -> {
            assertThat(e.path("tenant").asText()).isEqualTo("ocean");
            assertThat(e.path("verb").asText()).isEqualTo("create");
            assertThat(e.path("detail").asText()).contains("quota_exceeded", "quota apps", "limit 2");
        });

        // what exists can still change; one pipeline fits, a second does not; another tenant is not limited
        assertThat(ocean.post(SAT + "/apply", app("a", null, "/opt/a2.elf")).status()).isEqualTo(200);
        assertThat(ocean.post(SAT + "/apply", pipeline("scan", "a")).status()).isEqualTo(201);
        refused(ocean.post(SAT + "/apply", pipeline("scan2", "a")), "pipelines", 1, 1, 1);
        assertThat(fire.post(SAT + "/apply", app("f1", null, "/opt/f.elf") + "---\n" + app("f2", null, "/opt/f.elf")
                + "---\n" + app("f3", null, "/opt/f.elf")).status()).isEqualTo(201);

        // a deleted App frees its slot; the use shows on the tenant
        assertThat(ocean.delete(SAT + "/apps/b").status()).isEqualTo(200);
        assertThat(ocean.post(SAT + "/apply", app("c", null, "/opt/c.elf")).status()).isEqualTo(201);
        JsonNode u = usage("ocean");
        assertThat(u.path("apps").path("used").asLong()).isEqualTo(2);
        assertThat(u.path("apps").path("limit").asLong()).isEqualTo(2);
        assertThat(u.path("pipelines").path("used").asLong()).isEqualTo(1);
        assertThat(usage("fire").path("apps").path("limit").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void concurrentAppliesRacingForTheLastSlotsAdmitExactlyTheQuota(String backend) throws Exception {
        start(backend, "apps=3");
        assertThat(ocean.post(SAT + "/apply", app("first", null, "/opt/a.elf")).status()).isEqualTo(201);
        int racers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            for (int i = 0; i < racers; i++) {
                Api who = i % 2 == 0 ? ocean : ocean2; // on PostgreSQL, half of them through the other replica
                String name = "racer-" + i;
                replies.add(pool.submit(() -> {
                    go.await();
                    return who.post(SAT + "/apply", app(name, null, "/opt/a.elf"));
                }));
            }
            go.countDown();
            int won = 0, refused = 0;
            for (Future<Api.Reply> f : replies) {
                Api.Reply r = f.get();
                if (r.status() == 201) won++;
                else {
                    assertThat(r.code()).as("%s", r.json()).isEqualTo("quota_exceeded");
                    refused++;
                }
            }
            assertThat(won).isEqualTo(2);
            assertThat(refused).isEqualTo(racers - 2);
        }
        assertThat(names(admin.get(SAT + "/desired").json().path("items"), "name")).hasSize(3).contains("first");
        assertThat(usage("ocean").path("apps").path("used").asLong()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void imageBytesCountEachDigestOncePerTenant(String backend) throws Exception {
        start(backend, "images=8Ki");
        byte[] small = random(4096, 1), big = random(6000, 2);
        assertThat(push(ocean, small).status()).isEqualTo(201);
        assertThat(push(ocean, small).status()).isEqualTo(201); // the same digest again: no more use
        assertThat(usage("ocean").path("images").path("used").asLong()).isEqualTo(4096);

        Api.Reply r = push(ocean, big);
        refused(r, "images", 8192, 4096, 6000);
        assertThat(ocean.get("/api/v1/images").json().path("items")).hasSize(1);
        assertThat(admin.get("/api/v1/images").json().path("items")).hasSize(1); // not stored either
        assertThat(admin.get("/api/v1/audit?outcome=denied").json().path("items")).anySatisfy(e ->
                assertThat(e.path("detail").asText()).contains("quota images"));

        // fire has no image quota; the image it shares with ocean is counted for each
        assertThat(push(fire, big).status()).isEqualTo(201);
        assertThat(push(fire, small).status()).isEqualTo(201);
        assertThat(usage("fire").path("images").path("used").asLong()).isEqualTo(10096);
        assertThat(usage("ocean").path("images").path("used").asLong()).isEqualTo(4096);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void uplinkBytesCountPerUtcDay(String backend) throws Exception {
        start(backend, "uplink=1Ki/d");
        assertThat(ocean.post(SAT + "/apply", app("a", null, "/opt/a.elf")).status()).isEqualTo(201);
        long used = usage("ocean").path("uplink").path("used").asLong();
        assertThat(used).isPositive().isLessThan(1024);

        // apps of about 300 bytes each: the fourth of today does not fit
        int applied = 1;
        Api.Reply r;
        while ((r = ocean.post(SAT + "/apply", app("app-" + applied, null, "/opt/a.elf"))).status() == 201) applied++;
        assertThat(applied).isBetween(2, 4);
        long today = usage("ocean").path("uplink").path("used").asLong();
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("quota").asText()).isEqualTo("uplink");
        assertThat(r.json().path("used").asLong()).isEqualTo(today);
        assertThat(today + r.json().path("requested").asLong()).isGreaterThan(1024);
        assertThat(r.json().path("message").asText()).contains("per UTC day");
        // an unchanged apply sends nothing and is not refused
        assertThat(ocean.post(SAT + "/apply", app("a", null, "/opt/a.elf")).status()).isEqualTo(200);

        // the next UTC day starts from nothing
        clock.set(Instant.parse("2026-03-02T00:00:00Z"));
        assertThat(usage("ocean").path("uplink").path("used").asLong()).isZero();
        assertThat(ocean.post(SAT + "/apply", app("app-" + applied, null, "/opt/a.elf")).status()).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void theImagesAnApplySendsCountAgainstTheUplinkAndOneThatDoesNotFitIsNotSent(String backend) throws Exception {
        start(backend, "uplink=16Ki/d");
        String first = push(ocean, random(12_000, 3)).json().path("digest").asText();
        String second = push(ocean, random(12_000, 4)).json().path("digest").asText();
        assertThat(ocean.post(SAT + "/apply", app("a", null, first)).status()).isEqualTo(201);
        long used = usage("ocean").path("uplink").path("used").asLong();
        assertThat(used).isGreaterThan(12_000);

        int bundles = uplink.ids().size();
        Api.Reply r = ocean.post(SAT + "/apply", app("b", null, second));
        assertThat(r.status()).as("%s", r.json()).isEqualTo(403);
        assertThat(r.json().path("quota").asText()).isEqualTo("uplink");
        assertThat(r.json().path("used").asLong()).isEqualTo(used);
        assertThat(r.json().path("requested").asLong()).isGreaterThan(12_000);
        assertThat(uplink.ids()).hasSize(bundles); // neither the image nor the App went up
        assertThat(usage("ocean").path("uplink").path("used").asLong()).isEqualTo(used);
        assertThat(names(admin.get(SAT + "/desired").json().path("items"), "name")).containsExactly("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aProductOverTheQuotaIsKeptAndTheTenantsNewWorkRefusedUntilProductsAreDeletedOrTheQuotaRaised(String backend) throws Exception {
        start(backend, "products=1Ki");
        assertThat(ocean.post(SAT + "/apply", app("a", null, "/opt/a.elf") + "---\n" + pipeline("scan", "a")).status())
                .isEqualTo(201);
        deliverProduct(1, 1000);
        deliverProduct(2, 1000); // over the quota: kept all the same
        assertThat(ocean.get("/api/v1/products").json().path("items")).hasSize(2);
        JsonNode products = usage("ocean").path("products");
        assertThat(products.path("used").asLong()).isEqualTo(2000);
        assertThat(products.path("exceeded").asBoolean()).isTrue();

        refused(ocean.post(SAT + "/apply", app("b", null, "/opt/b.elf")), "products", 1024, 2000, 0);
        assertThat(ocean.delete(SAT + "/apps/a").status()).isEqualTo(200); // removing work is never refused

        // deleting a product brings the tenant back under its limit; another tenant's is answered as a missing one
        List<Long> ids = new ArrayList<>();
        ocean.get("/api/v1/products").json().path("items").forEach(p -> ids.add(p.path("id").asLong()));
        assertThat(fire.delete("/api/v1/products/" + ids.get(0)).status()).isEqualTo(404);
        assertThat(ocean.delete("/api/v1/products/" + ids.get(0)).status()).isEqualTo(200);
        assertThat(ocean.get("/api/v1/products/" + ids.get(0)).status()).isEqualTo(404);
        assertThat(usage("ocean").path("products").path("used").asLong()).isEqualTo(1000);
        assertThat(usage("ocean").path("products").path("exceeded").asBoolean()).isFalse();
        assertThat(ocean.post(SAT + "/apply", app("b", null, "/opt/b.elf")).status()).isEqualTo(201);
        deliverProduct(3, 1000);
        refused(ocean.post(SAT + "/apply", app("c", null, "/opt/c.elf")), "products", 1024, 2000, 0);

        // only a platform admin changes a quota; the limits not named are kept
        Api.Reply notAdmin = oceanAdmin.call("PUT", "/api/v1/tenants/ocean/quota", "{\"quota\": \"products=none\"}");
        assertThat(notAdmin.status()).as("%s", notAdmin.json()).isEqualTo(403);
        assertThat(ocean.call("PUT", "/api/v1/tenants/ocean/quota", "{\"quota\": \"products=none\"}").status()).isEqualTo(403);
        Api.Reply bad = admin.call("PUT", "/api/v1/tenants/ocean/quota", "{\"quota\": \"products=lots\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("quota.products");
        assertThat(admin.call("PUT", "/api/v1/tenants/nobody/quota", "{\"quota\": \"apps=1\"}").status()).isEqualTo(404);
        Api.Reply raised = admin.call("PUT", "/api/v1/tenants/ocean/quota", "{\"quota\": \"products=4Ki,apps=5\"}");
        assertThat(raised.status()).isEqualTo(200);
        assertThat(raised.json().path("quota").asText()).isEqualTo("apps=5,products=4Ki");
        assertThat(ocean.post(SAT + "/apply", app("c", null, "/opt/c.elf")).status()).isEqualTo(201);
    }

    void deliverProduct(long id, int size) throws Exception {
        byte[] content = random(size, id);
        byte[] payload = new ProductPayload(new ProductPayload.Header(id, "scan-000001", "only", null, "out-" + id + ".bin",
                content.length, ProductPayload.sha256(content), 80, T0, T0.plus(Duration.ofDays(7)),
                "{\"pipeline\": \"scan\", \"run\": \"scan-000001\", \"step\": \"only\", \"output\": \"out\"}"), content).encode();
        grounds.getFirst().intake().deliver(Fixtures.bundle("product.sat-1.n1." + id, "sat-1", BundleKind.PRODUCT.wire(), payload, T0),
                payload);
    }

    static Api.Reply push(Api who, byte[] image) throws Exception {
        return who.send("POST", "/api/v1/images", HttpRequest.BodyPublishers.ofByteArray(image), null);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
