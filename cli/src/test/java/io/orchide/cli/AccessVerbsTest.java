package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Ground's access-control verbs: create tenant|token|rolebinding, get tenants|tokens|rolebindings, delete token, auth. */
class AccessVerbsTest {
    static final String SECRET = "orch_" + "x".repeat(43);

    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    @Test
    void createTenantSendsTheQuotaAsDeclared() {
        ground.on("POST /api/v1/tenants", 201, """
                {"name":"ocean-team","quota":"cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d",
                 "limits":{"cpuMillis":4000,"memoryBytes":2147483648,"storageBytes":21474836480,"uplinkBytesPerDay":52428800},
                 "usage":%s,"created":"2026-12-07T10:00:00Z"}""".formatted(usage(0, null, 0, 0, null, null)));
        FakeServer.Result r = ground.run("create", "tenant", "ocean-team", "--quota", "cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d",
                "--token", SECRET);
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("tenant/ocean-team created (quota cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d)");
        assertThat(ground.only().body()).contains("\"quota\":\"cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d\"");
        assertThat(ground.only().authorization()).isEqualTo("Bearer " + SECRET);
    }

    /** A tenant's {@code usage} as ground writes it: apps, images and products with their limits (null: none). */
    static String usage(long apps, Long appsLimit, long images, long products, Long imagesLimit, Long productsLimit) {
        return """
                {"uplink":{"limit":null,"used":0,"exceeded":false},"apps":{"limit":%s,"used":%d,"exceeded":false},
                 "pipelines":{"limit":null,"used":0,"exceeded":false},"images":{"limit":%s,"used":%d,"exceeded":false},
                 "products":{"limit":%s,"used":%d,"exceeded":%s}}""".formatted(appsLimit, apps, imagesLimit, images, productsLimit,
                products, productsLimit != null && products > productsLimit);
    }

    @Test
    void setQuotaSendsTheLimitsToChangeAndDescribeTenantShowsUseAgainstEachQuota() {
        ground.on("PUT /api/v1/tenants/ocean-team/quota", 200, """
                {"name":"ocean-team","quota":"cpu=4,apps=30","limits":{"cpuMillis":4000,"apps":30},"usage":%s,
                 "created":"2026-12-07T10:00:00Z"}""".formatted(usage(2, 30L, 0, 0, null, null)));
        FakeServer.Result r = ground.run("set", "quota", "ocean-team", "--quota", "apps=30,images=none", "--token", SECRET);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("tenant/ocean-team quota set: cpu=4,apps=30\n");
        assertThat(ground.only().body()).isEqualTo("{\"quota\":\"apps=30,images=none\"}");

        ground.on("GET /api/v1/tenants/ocean-team", 200, """
                {"name":"ocean-team","quota":"cpu=4,apps=2,images=8Ki,products=1Ki","limits":{"cpuMillis":4000,"apps":2,
                 "imageBytes":8192,"productBytes":1024},"usage":%s,"created":"2026-12-07T10:00:00Z"}"""
                .formatted(usage(2, 2L, 4096, 2000, 8192L, 1024L)));
        String d = ground.run("describe", "tenant", "ocean-team").out();
        assertThat(d).contains("Quota:").contains("cpu=4,apps=2,images=8Ki,products=1Ki");
        assertThat(d).containsPattern("  apps +2 +2\n").containsPattern("  pipelines +0 +none\n")
                .containsPattern("  images +4Ki +8Ki\n").containsPattern("  products +2Ki +1Ki +exceeded\n");
    }

    @Test
    void aQuotaRefusalSaysTheQuotaTheLimitTheUseAndTheRequest() {
        ground.on("PUT /api/v1/tenants/ocean-team/quota", 403, """
                {"code":"forbidden","message":"ci may not update tenants in tenant ocean-team"}""");
        FakeServer.Result r = ground.run("set", "quota", "ocean-team", "--quota", "apps=30");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("[forbidden]").contains("may not update tenants");
        assertThat(ground.run("set", "quota", "ocean-team").err()).contains("--quota");
    }

    @Test
    void createTokenPrintsTheTokenAloneOnStdoutOnce() {
        ground.on("POST /api/v1/tokens", 201, """
                {"id":"a1b2c3d4e5f6","name":"ci","principal":"sa-a1b2c3d4e5f6","prefix":"orch_yyyyyy","role":"developer",
                 "tenant":"ocean-team","created":"2026-12-07T10:00:00Z","expires":"2027-03-07T10:00:00Z","lastUsed":null,
                 "revoked":null,"token":"orch_%s"}""".formatted("y".repeat(43)));
        FakeServer.Result r = ground.run("create", "token", "--tenant", "ocean-team", "--role", "developer", "--ttl", "90d",
                "--name", "ci");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("orch_" + "y".repeat(43) + "\n");
        assertThat(r.err()).contains("token/a1b2c3d4e5f6 created: developer in tenant ocean-team").contains("shown this once");
        assertThat(ground.only().body()).contains("\"role\":\"developer\"").contains("\"tenant\":\"ocean-team\"")
                .contains("\"ttl\":\"90d\"").contains("\"name\":\"ci\"");
    }

    @Test
    void getTokensShowsWhoseAndWhenNeverTheSecret() {
        ground.on("GET /api/v1/tokens", 200, """
                {"items":[{"id":"a1b2c3d4e5f6","name":"ci","principal":"sa-a1b2c3d4e5f6","prefix":"orch_yyyyyy",
                 "role":"developer","tenant":"ocean-team","created":"2026-12-07T10:00:00Z","expires":"2027-03-07T10:00:00Z",
                 "lastUsed":"%s","revoked":null},
                 {"id":"0f0f0f0f0f0f","name":"first start","principal":"admin","prefix":"orch_zzzzzz","role":"platform-admin",
                 "tenant":null,"created":"2026-12-07T09:00:00Z","expires":null,"lastUsed":null,"revoked":null}]}"""
                .formatted(Instant.now().minusSeconds(300)));
        FakeServer.Result r = ground.run("get", "tokens");
        assertThat(r.status()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("ID +NAME +ROLE +TENANT +EXPIRES +LAST USED");
        assertThat(lines[1]).matches("a1b2c3d4e5f6 +ci +developer +ocean-team +2027-03-07T10:00:00Z +5m ago");
        assertThat(lines[2]).matches("0f0f0f0f0f0f +first start +platform-admin +\\(fleet\\) +never +never");
    }

    @Test
    void getTenantsAndRoleBindings() {
        ground.on("GET /api/v1/tenants", 200, """
                {"items":[{"name":"default","quota":"","limits":{},"usage":%s,"created":"1970-01-01T00:00:00Z"},
                 {"name":"ocean-team","quota":"cpu=4,apps=2,images=8Ki,products=1Ki","limits":{"cpuMillis":4000,"apps":2,
                  "imageBytes":8192,"productBytes":1024},"usage":%s,"created":"2026-12-07T10:00:00Z"}]}"""
                .formatted(usage(0, null, 0, 0, null, null), usage(2, 2L, 4096, 2000, 8192L, 1024L)));
        ground.on("GET /api/v1/rolebindings", 200, """
                {"items":[{"id":"rb-1","principal":"sa-a1","role":"developer","tenant":"ocean-team","created":"%s"}]}"""
                .formatted(Instant.now().minusSeconds(7200)));
        String[] tenants = ground.run("get", "tenants").out().split("\n");
        assertThat(tenants[0]).matches("NAME +QUOTA +APPS +PIPELINES +IMAGES +UPLINK TODAY +PRODUCTS +CREATED");
        assertThat(tenants[1]).matches("default +- +0 +0 +0 +0 +0 +1970.*");
        // used/limit where there is a limit, the use alone where there is none, "over" where a kept product took it over
        assertThat(tenants[2]).matches("ocean-team +cpu=4,apps=2,images=8Ki,products=1Ki +2/2 +0 +4Ki/8Ki +0 +2Ki/1Ki over +2026.*");
        assertThat(ground.run("get", "rolebindings").out()).containsPattern("rb-1 +sa-a1 +developer +ocean-team +2h");
    }

    @Test
    void deleteTokenRevokesItOnGround() {
        ground.on("DELETE /api/v1/tokens/a1b2c3d4e5f6", 200, """
                {"id":"a1b2c3d4e5f6","name":"ci","principal":"sa-a1","role":"developer","revoked":"2026-12-07T10:00:00Z"}""");
        FakeServer.Result r = ground.run("delete", "token", "a1b2c3d4e5f6");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("token/a1b2c3d4e5f6 revoked (ci)");
        assertThat(ground.only().path()).isEqualTo("/api/v1/tokens/a1b2c3d4e5f6");
    }

    @Test
    void canIPrintsYesOrNoAndExitsZeroOrOne() {
        ground.on("POST /api/v1/auth/can-i", 200, """
                {"allowed":false,"verb":"delete","resource":"pipelines","tenant":"fire-team"}""");
        FakeServer.Result no = ground.run("auth", "can-i", "delete", "pipelines", "--tenant", "fire-team");
        assertThat(no.out()).isEqualTo("no\n");
        assertThat(no.status()).isEqualTo(1);
        assertThat(ground.only().body()).contains("\"verb\":\"delete\"").contains("\"resource\":\"pipelines\"")
                .contains("\"tenant\":\"fire-team\"");
    }

    @Test
    void canISaysYes() {
        ground.on("POST /api/v1/auth/can-i", 200, """
                {"allowed":true,"verb":"get","resource":"products","tenant":"ocean-team"}""");
        FakeServer.Result yes = ground.run("auth", "can-i", "get", "products");
        assertThat(yes.out()).isEqualTo("yes\n");
        assertThat(yes.status()).isZero();
    }

    @Test
    void whoamiNamesThePrincipalItsTokenAndBindings() {
        ground.on("GET /api/v1/auth/whoami", 200, """
                {"id":"sa-a1","name":"ci","kind":"service-account","token":"a1b2c3d4e5f6",
                 "bindings":[{"id":"rb-1","principal":"sa-a1","role":"developer","tenant":"ocean-team"}]}""");
        FakeServer.Result r = ground.run("auth", "whoami");
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("service-account sa-a1 (ci), token a1b2c3d4e5f6\n  developer in tenant ocean-team\n");
    }

    @Test
    void aRefusalIsSaidWithGroundsReason() {
        ground.on("POST /api/v1/tokens", 403, """
                {"code":"forbidden","message":"ci may not grant role operator fleet-wide: it grants more than ci holds there",
                 "errors":[{"field":"role","value":"operator","message":"grants more than the caller holds fleet-wide"}],"field":"role"}""");
        FakeServer.Result r = ground.run("create", "token", "--role", "operator");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("may not grant role operator").contains("[forbidden]");
    }
}
