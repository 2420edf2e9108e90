package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every access decision in the audit log, and the audit log readable only by those it is for, over real HTTP: a
 * change is recorded before it is answered, a refusal (also of a request without a token) is recorded, a tenant admin
 * reads only its tenant's entries, a developer reads none (and its refusal is recorded), and only a platform admin
 * verifies the chain.
 */
class AuditedDecisionsTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SAT = "/api/v1/satellites/sat-1";

    @TempDir
    Path tmp;
    GroundServer ground;
    Api admin, ocean, fire, oceanAdmin, anonymous;
    String oceanId;

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    void start(String backend) throws Exception {
        MutableClock clock = new MutableClock(T0);
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(url == null ? tmp : null)
                .dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build().withAuth(new AuthSettings(tokenFile, false)), new FakeUplink(clock));
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        anonymous = admin.as(null);
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"fire\"}").status()).isEqualTo(201);
        ocean = admin.as(admin.token("ocean", "developer", "1d"));
        fire = admin.as(admin.token("fire", "developer", "1d"));
        oceanAdmin = admin.as(admin.token("ocean", "tenant-admin", "1d"));
        oceanId = ocean.get("/api/v1/auth/whoami").json().path("id").asText();
        assertThat(fire.post(SAT + "/apply", TenantIsolationTest.app("fire-app", null, "/opt/fire.elf") + "---\n"
                + TenantIsolationTest.pipeline("fire-scan", "fire-app")).status()).isEqualTo(201);
    }

    List<JsonNode> audit(Api who, String query) throws Exception {
        Api.Reply r = who.get("/api/v1/audit" + query);
        assertThat(r.status()).as("%s", r.json()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().path("items").forEach(out::add);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aChangeIsInTheLogWhenItIsAnsweredAndRefusalsAreToo(String backend) throws Exception {
        start(backend);
        assertThat(ocean.post(SAT + "/apply", TenantIsolationTest.app("ocean-app", null, "/opt/ocean.elf")).status()).isEqualTo(201);
        // no waiting: the change's entry was committed before the change was made
        io.orchide.ground.audit.AuditEntry applied = ground.audit().query(io.orchide.ground.audit.AuditQuery.all(1))
                .getFirst().entry();
        assertThat(applied.actor()).isEqualTo(oceanId);
        assertThat(applied.tenant()).isEqualTo("ocean");
        assertThat(applied.verb()).isEqualTo("create");
        assertThat(applied.resource()).isEqualTo("apps/ocean-app");
        assertThat(applied.outcome()).isEqualTo(io.orchide.ground.audit.Outcome.ALLOWED);
        assertThat(applied.source()).startsWith("127.0.0.1:");

        // the ocean developer deleting fire's pipeline: answered as a missing one, recorded as denied
        assertThat(ocean.delete(SAT + "/pipelines/fire-scan").status()).isEqualTo(404);
        List<JsonNode> denied = audit(admin, "?outcome=denied");
        assertThat(denied).anySatisfy(e -> {
            assertThat(e.path("actor").asText()).isEqualTo(oceanId);
            assertThat(e.path("tenant").asText()).isEqualTo("fire");
            assertThat(e.path("verb").asText()).isEqualTo("delete");
            assertThat(e.path("resource").asText()).isEqualTo("pipelines/fire-scan");
            assertThat(e.path("detail").asText()).contains("not granted");
        });

        // without a token: anonymous, denied, with the reason
        assertThat(anonymous.get(SAT + "/workloads").status()).isEqualTo(401);
        assertThat(audit(admin, "?actor=anonymous")).singleElement().satisfies(e -> {
            assertThat(e.path("outcome").asText()).isEqualTo("denied");
            assertThat(e.path("verb").asText()).isEqualTo("get");
            assertThat(e.path("resource").asText()).isEqualTo("satellites/sat-1/workloads");
            assertThat(e.path("detail").asText()).contains("no credential");
            assertThat(e.path("source").asText()).startsWith("127.0.0.1:");
        });

        // a read is recorded too, soon after (it is not waited for)
        assertThat(ocean.get(SAT + "/workloads").status()).isEqualTo(200);
        await().until(() -> ground.audit().query(new io.orchide.ground.audit.AuditQuery(null, "ocean", oceanId,
                null, null, 100)).stream().anyMatch(r -> r.entry().verb().equals("list") && r.entry().resource().equals("workloads")));
        assertThat(ground.audit().verify().broken()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aTenantAdminReadsOnlyItsTenantsEntriesAndADeveloperNone(String backend) throws Exception {
        start(backend);
        assertThat(ocean.post(SAT + "/apply", TenantIsolationTest.app("ocean-app", null, "/opt/ocean.elf")).status()).isEqualTo(201);

        List<JsonNode> mine = audit(oceanAdmin, "?limit=1000");
        assertThat(mine).isNotEmpty().allSatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("ocean"));
        assertThat(mine).anySatisfy(e -> assertThat(e.path("resource").asText()).isEqualTo("apps/ocean-app"));
        assertThat(audit(admin, "?limit=1000")).anySatisfy(e -> assertThat(e.path("tenant").asText()).isEqualTo("fire"));

        Api.Reply other = oceanAdmin.get("/api/v1/audit?tenant=fire");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.code()).isEqualTo("forbidden");
        assertThat(oceanAdmin.get("/api/v1/audit/verify").status()).isEqualTo(403);

        Api.Reply dev = ocean.get("/api/v1/audit");
        assertThat(dev.status()).isEqualTo(403);
        assertThat(dev.code()).isEqualTo("forbidden");
        assertThat(audit(admin, "?outcome=denied&actor=" + oceanId)).anySatisfy(e -> {
            assertThat(e.path("verb").asText()).isEqualTo("list");
            assertThat(e.path("resource").asText()).isEqualTo("audit");
        });

        Api.Reply verify = admin.get("/api/v1/audit/verify");
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.json().path("intact").asBoolean()).isTrue();
    }
}
