package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who gets in: the first admin token, API tokens refused for every reason a token can be bad, the open routes. */
class AuthenticationTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    MutableClock clock;
    GroundServer ground;
    Api admin;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(T0);
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(tmp)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build(),
                new FakeUplink(clock));
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tmp.resolve("admin.token")).strip());
    }

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    @Test
    void theFirstStartWritesAnAdminTokenForItsOwnerOnlyAndALaterStartNone() throws Exception {
        Path file = tmp.resolve("admin.token");
        assertThat(ground.adminTokenWritten()).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = Files.readString(file).strip();
        assertThat(token).startsWith(ApiTokens.PREFIX).hasSize(ApiTokens.PREFIX.length() + 43);
        assertThat(admin.get("/api/v1/auth/whoami").json().path("bindings").get(0).path("role").asText()).isEqualTo("platform-admin");
        ground.close();
        Files.delete(file);
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(tmp)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build(),
                new FakeUplink(clock));
        assertThat(ground.adminTokenWritten()).isNull();
        assertThat(file).doesNotExist();
        assertThat(new Api(ground.apiAddress().getPort(), token).get("/api/v1/satellites").status())
                .as("the first token still holds").isEqualTo(200);
    }

    @Test
    void everyRouteButHealthReadinessAndTheApiDocumentWantsAToken() throws Exception {
        Api anonymous = admin.as(null);
        for (String open : new String[]{"/api/v1/health", "/api/v1/ready", "/api/v1/openapi.json"}) {
            assertThat(anonymous.get(open).status()).as(open).isEqualTo(200);
        }
        for (String closed : new String[]{"/api/v1/satellites", "/api/v1/products", "/api/v1/images", "/api/v1/link",
                "/api/v1/satellites/sat-1/workloads", "/api/v1/tenants", "/api/v1/auth/whoami"}) {
            Api.Reply r = anonymous.get(closed);
            assertThat(r.status()).as(closed).isEqualTo(401);
            assertThat(r.code()).isEqualTo("unauthenticated");
            assertThat(r.response().headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        }
        assertThat(anonymous.post("/api/v1/satellites/sat-1/apply", "x").status()).isEqualTo(401);
    }

    @Test
    void malformedUnknownExpiredAndRevokedTokensAreRefused() throws Exception {
        String good = admin.token("default", "viewer", "1h");
        Api viewer = admin.as(good);
        assertThat(viewer.get("/api/v1/satellites").status()).isEqualTo(200);

        Api.Reply basic = viewer.send("GET", "/api/v1/satellites", HttpRequest.BodyPublishers.noBody(), "Basic dXNlcjpwdw==");
        assertThat(basic.status()).isEqualTo(401);
        assertThat(basic.json().path("message").asText()).contains("malformed Authorization header");
        assertThat(admin.as("orch_short").get("/api/v1/satellites").json().path("message").asText()).isEqualTo("malformed API token");
        String unknown = ApiTokens.PREFIX + "A".repeat(43);
        assertThat(admin.as(unknown).get("/api/v1/satellites").json().path("message").asText()).isEqualTo("unknown API token");
        assertThat(admin.as("eyJhbGciOiJub25lIn0.e30.").get("/api/v1/satellites").status()).isEqualTo(401);
        // a token differing in one character is another token
        String flipped = good.substring(0, good.length() - 1) + (good.endsWith("A") ? "B" : "A");
        assertThat(admin.as(flipped).get("/api/v1/satellites").status()).isEqualTo(401);

        clock.advance(Duration.ofMinutes(61));
        Api.Reply expired = viewer.get("/api/v1/satellites");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("message").asText()).contains("expired");

        Api.Reply made = admin.post("/api/v1/tokens", "{\"role\": \"viewer\", \"tenant\": \"default\", \"name\": \"ci\"}");
        Api inUse = admin.as(made.json().path("token").asText());
        assertThat(inUse.get("/api/v1/satellites").status()).isEqualTo(200);
        String id = made.json().path("id").asText();
        assertThat(admin.delete("/api/v1/tokens/" + id).json().path("revoked").isNull()).isFalse();
        Api.Reply revoked = inUse.get("/api/v1/satellites");
        assertThat(revoked.status()).as("revocation takes effect at the next request").isEqualTo(401);
        assertThat(revoked.json().path("message").asText()).contains("revoked");
    }

    @Test
    void tokenListsShowWhoseAndWhenButNeverTheSecretAndLastUseWithoutAWritePerRequest() throws Exception {
        Api.Reply made = admin.post("/api/v1/tokens", "{\"role\": \"developer\", \"tenant\": \"default\", \"ttl\": \"90d\", \"name\": \"ci\"}");
        assertThat(made.status()).isEqualTo(201);
        String secret = made.json().path("token").asText();
        assertThat(made.json().path("expires").asText()).isEqualTo(T0.plus(Duration.ofDays(90)).toString());
        Api ci = admin.as(secret);
        ci.get("/api/v1/satellites");
        clock.advance(Duration.ofSeconds(30));
        ci.get("/api/v1/satellites");
        String list = new String(admin.get("/api/v1/tokens").raw());
        assertThat(list).doesNotContain(secret).doesNotContain(secret.substring(ApiTokens.PREFIX.length() + 8));
        var ciRow = ci(admin);
        assertThat(ciRow.path("name").asText()).isEqualTo("ci");
        assertThat(ciRow.path("role").asText()).isEqualTo("developer");
        assertThat(ciRow.path("tenant").asText()).isEqualTo("default");
        // written off the request path: the list shows it once the writer got to it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ci(admin).path("lastUsed").asText())
                .as("within the grain: the first use stands").isEqualTo(T0.toString()));
        clock.advance(ApiTokens.LAST_USED_GRAIN);
        ci.get("/api/v1/satellites");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ci(admin).path("lastUsed").asText())
                .isEqualTo(T0.plusSeconds(30).plus(ApiTokens.LAST_USED_GRAIN).toString()));
        assertThat(admin.post("/api/v1/tokens", "{\"role\": \"developer\", \"tenant\": \"default\", \"ttl\": \"forever\"}")
                .json().path("field").asText()).isEqualTo("ttl");
        assertThat(admin.post("/api/v1/tokens", "{\"role\": \"root\"}").json().path("field").asText()).isEqualTo("role");
        assertThat(admin.post("/api/v1/tokens", "{\"role\": \"developer\", \"tenant\": \"nowhere\"}").status()).isEqualTo(404);
    }

    private static com.fasterxml.jackson.databind.JsonNode ci(Api admin) throws Exception {
        for (var t : admin.get("/api/v1/tokens").json().path("items")) if (t.path("name").asText().equals("ci")) return t;
        throw new AssertionError("no token ci listed");
    }

    @Test
    void nobodyGrantsMoreThanTheyHold() throws Exception {
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"fire\"}").status()).isEqualTo(201);
        Api oceanAdmin = admin.as(admin.token("ocean", "tenant-admin", "1d"));
        Api developer = admin.as(admin.token("ocean", "developer", "1d"));
        Api operator = admin.as(admin.token(null, "operator", "1d"));

        assertThat(oceanAdmin.post("/api/v1/tokens", "{\"role\": \"developer\"}").status()).as("its own tenant by default").isEqualTo(201);
        assertThat(oceanAdmin.post("/api/v1/tokens", "{\"role\": \"tenant-admin\", \"tenant\": \"ocean\"}").status()).isEqualTo(201);
        Api.Reply other = oceanAdmin.post("/api/v1/tokens", "{\"role\": \"developer\", \"tenant\": \"fire\"}");
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.json().path("message").asText()).contains("create tokens in tenant fire");
        for (String fleetRole : new String[]{"operator", "platform-admin"}) {
            Api.Reply up = oceanAdmin.post("/api/v1/tokens", "{\"role\": \"" + fleetRole + "\"}");
            assertThat(up.status()).as(fleetRole).isEqualTo(403);
            assertThat(up.code()).isEqualTo("forbidden");
        }
        assertThat(developer.post("/api/v1/tokens", "{\"role\": \"viewer\"}").status()).isEqualTo(403);
        Api.Reply sideways = operator.post("/api/v1/tokens", "{\"role\": \"developer\", \"tenant\": \"ocean\"}");
        assertThat(sideways.status()).as("an operator holds no tenant's apps").isEqualTo(403);

        String principal = oceanAdmin.get("/api/v1/auth/whoami").json().path("id").asText();
        Api.Reply bind = oceanAdmin.post("/api/v1/rolebindings", "{\"principal\": \"" + principal + "\", \"role\": \"tenant-admin\", \"tenant\": \"fire\"}");
        assertThat(bind.status()).isEqualTo(403);
        Api.Reply fleet = oceanAdmin.post("/api/v1/rolebindings", "{\"principal\": \"" + principal + "\", \"role\": \"platform-admin\"}");
        assertThat(fleet.status()).isEqualTo(403);
        assertThat(oceanAdmin.get("/api/v1/auth/whoami").json().path("bindings")).hasSize(1);
        // what the platform admin grants is granted at the next request
        assertThat(admin.post("/api/v1/rolebindings", "{\"principal\": \"" + principal + "\", \"role\": \"viewer\", \"tenant\": \"fire\"}")
                .status()).isEqualTo(201);
        assertThat(oceanAdmin.get("/api/v1/auth/whoami").json().path("bindings")).hasSize(2);
        // tokens and bindings listed by a tenant admin: its tenant's only
        assertThat(oceanAdmin.get("/api/v1/tokens").json().path("items")).allSatisfy(t ->
                assertThat(t.path("tenant").asText()).isEqualTo("ocean"));
        assertThat(oceanAdmin.get("/api/v1/rolebindings").json().path("items")).allSatisfy(b ->
                assertThat(b.path("tenant").asText()).isEqualTo("ocean"));
    }

    @Test
    void whoamiAndCanISayWhatTheCallerMayDo() throws Exception {
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        Api dev = admin.as(admin.token("ocean", "developer", "1d"));
        var me = dev.get("/api/v1/auth/whoami").json();
        assertThat(me.path("kind").asText()).isEqualTo("service-account");
        assertThat(me.path("bindings").get(0).path("role").asText()).isEqualTo("developer");
        assertThat(me.path("bindings").get(0).path("tenant").asText()).isEqualTo("ocean");
        assertThat(dev.post("/api/v1/auth/can-i", "{\"verb\": \"delete\", \"resource\": \"pipelines\"}").json().path("allowed").asBoolean()).isTrue();
        var other = dev.post("/api/v1/auth/can-i", "{\"verb\": \"delete\", \"resource\": \"pipelines\", \"tenant\": \"fire\"}").json();
        assertThat(other.path("allowed").asBoolean()).isFalse();
        assertThat(other.path("tenant").asText()).isEqualTo("fire");
        assertThat(dev.post("/api/v1/auth/can-i", "{\"verb\": \"create\", \"resource\": \"tenants\"}").json().path("allowed").asBoolean()).isFalse();
        assertThat(admin.post("/api/v1/auth/can-i", "{\"verb\": \"update\", \"resource\": \"link\"}").json().path("allowed").asBoolean()).isTrue();
        Api.Reply bad = dev.post("/api/v1/auth/can-i", "{\"verb\": \"fly\", \"resource\": \"pipelines\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("verb");
    }
}
