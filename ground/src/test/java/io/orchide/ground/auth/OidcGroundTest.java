package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.audit.AuditQuery;
import io.orchide.ground.auth.oidc.OidcConfig;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.StatusReport;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import io.orchide.testkit.oidc.SigningKey;
import io.orchide.testkit.oidc.TestOidcIssuer;
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

/**
 * OIDC bearer JWTs at ground's API over real HTTP, against an issuer the test starts: a token whose groups give a
 * role in its tenant reads that tenant's workloads and is refused another's; a bad token (wrong audience, wrong
 * issuer, alg none) is refused 401 naming the reason; a group never makes a platform admin, an operator's binding
 * for issuer#subject does; an issuer whose keys cannot be had answers 503. On SQLite and on PostgreSQL (where an
 * OIDC principal's stored bindings live in the shared database).
 */
class OidcGroundTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SAT = "/api/v1/satellites/sat-1";

    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(T0);
    TestOidcIssuer issuer;
    GroundServer ground;
    Api admin;

    /** A ground on {@code backend} ({@code sqlite}, or {@code postgres}: a new database on the tests' PostgreSQL). */
    void start(String backend) throws Exception {
        issuer = TestOidcIssuer.start(clock);
        Path tokenFile = tmp.resolve("admin.token");
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(url == null ? tmp : null)
                .dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build()
                .withAuth(new AuthSettings(tokenFile, false).withOidc(OidcConfig.of(issuer.issuer(), "orchide"))),
                new FakeUplink(clock));
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean-team\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"fire-team\"}").status()).isEqualTo(201);
        assertThat(admin.post(SAT + "/apply", TenantIsolationTest.app("ocean-app", "ocean-team", "/opt/ocean.elf") + "---\n"
                + TenantIsolationTest.app("fire-app", "fire-team", "/opt/fire.elf")).status()).isEqualTo(201);
        StatusReport report = new StatusReport(T0, "n1", List.of(
                new StatusReport.Workload("ocean-app", "running", T0, 0, null),
                new StatusReport.Workload("fire-app", "running", T0, 0, null)), List.of(), List.of(), List.of());
        byte[] b = report.encode();
        ground.intake().deliver(Fixtures.bundle("report.sat-1.1", "sat-1", BundleKind.REPORT.wire(), b, T0), b);
    }

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
        if (issuer != null) issuer.close();
    }

    Api bearer(String jwt) { return admin.as(jwt); }

    static List<String> names(Api.Reply r) {
        List<String> out = new ArrayList<>();
        r.json().path("items").forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aDeveloperByItsGroupsListsItsTenantsWorkloadsAndIsRefusedAnothers(String backend) throws Exception {
        start(backend);
        Api alice = bearer(issuer.token().subject("alice").claim("tenant", "ocean-team")
                .claim("groups", List.of("staff", "orchide:developer")).compact());

        Api.Reply mine = alice.get(SAT + "/workloads");
        assertThat(mine.status()).as("%s", mine.json()).isEqualTo(200);
        assertThat(names(mine)).containsExactly("ocean-app");

        Api.Reply who = alice.get("/api/v1/auth/whoami");
        assertThat(who.json().path("name").asText()).isEqualTo(issuer.issuer() + "#alice");
        assertThat(who.json().path("id").asText()).isEqualTo(OidcAuthenticator.principalId(issuer.issuer() + "#alice"));

        Api.Reply other = alice.post(SAT + "/apply", TenantIsolationTest.app("x", "fire-team", "/opt/x.elf"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.code()).isEqualTo("forbidden");
        assertThat(ground.audit().query(new AuditQuery(null, "fire-team", who.json().path("id").asText(),
                io.orchide.ground.audit.Outcome.DENIED, null, 10))).isNotEmpty()
                .allSatisfy(r -> assertThat(r.entry().detail()).contains(issuer.issuer() + "#alice"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aTokenForAnotherTenantIsRefused(String backend) throws Exception {
        start(backend);
        Api bob = bearer(issuer.token().subject("bob").claim("tenant", "fire-team")
                .claim("groups", List.of("orchide:developer")).compact());
        assertThat(names(bob.get(SAT + "/workloads"))).containsExactly("fire-app");
        assertThat(bob.delete(SAT + "/apps/ocean-app").status()).isEqualTo(404); // as if it did not exist
        Api.Reply apply = bob.post(SAT + "/apply", TenantIsolationTest.app("ocean-app", "ocean-team", "/opt/o.elf"));
        assertThat(apply.status()).isEqualTo(403);
        // an explicit tenant in the group works the same way
        Api carol = bearer(issuer.token().subject("carol").claim("groups", List.of("orchide:ocean-team:viewer")).compact());
        assertThat(names(carol.get(SAT + "/workloads"))).containsExactly("ocean-app");
        assertThat(carol.post(SAT + "/apply", TenantIsolationTest.app("c", "ocean-team", "/opt/c.elf")).status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void badTokensAreRefused401WithTheirReason(String backend) throws Exception {
        start(backend);
        SigningKey other = SigningKey.rsa("other-1");
        record Bad(String token, String code) { }
        List<Bad> bad = List.of(
                new Bad(issuer.token().audience("someone-else").compact(), "wrong_audience"),
                new Bad(issuer.token().issuer("https://evil.example.com").compact(), "wrong_issuer"),
                new Bad(issuer.token().unsigned().compact(), "algorithm_not_allowed"),
                new Bad(issuer.token().signedWith(other).compact(), "unknown_key_id"));
        for (Bad b : bad) {
            Api.Reply r = bearer(b.token()).get(SAT + "/workloads");
            assertThat(r.status()).as(b.code()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("unauthenticated");
            assertThat(r.json().path("message").asText()).contains(b.code());
            assertThat(r.response().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"orchide\"");
        }
        assertThat(ground.audit().query(new AuditQuery(null, null, "anonymous", null, null, 10))).hasSize(bad.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void noGroupMakesAPlatformAdminAnOperatorsBindingDoes(String backend) throws Exception {
        start(backend);
        Api dave = bearer(issuer.token().subject("dave").claim("tenant", "ocean-team")
                .claim("groups", List.of("orchide:platform-admin", "orchide:operator")).compact());
        assertThat(dave.get("/api/v1/tenants").status()).isEqualTo(403); // nothing bound: deny by default

        Api.Reply bound = admin.post("/api/v1/rolebindings", "{\"principal\": \"" + issuer.issuer() + "#dave\", "
                + "\"role\": \"platform-admin\"}");
        assertThat(bound.status()).as("%s", bound.json()).isEqualTo(201);
        assertThat(names(dave.get(SAT + "/workloads"))).containsExactlyInAnyOrder("ocean-app", "fire-app");
        assertThat(dave.get("/api/v1/audit/verify").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void anIssuerWhoseKeysCannotBeHadAnswers503(String backend) throws Exception {
        start(backend);
        String token = issuer.token().subject("erin").claim("tenant", "ocean-team")
                .claim("groups", List.of("orchide:developer")).compact();
        issuer.close(); // before any key was fetched
        Api.Reply r = bearer(token).get(SAT + "/workloads");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("oidc_unavailable");
        issuer = null;
    }
}
