package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground's /metrics over real HTTP: for operators and platform admins (a token Prometheus reads from a file), refused
 * to tenants' roles and to requests without a token; it counts requests by route class (never a satellite's name)
 * and the access decisions, and says the database answers.
 */
class MetricsAccessTest {
    @TempDir
    Path tmp;
    GroundServer ground;

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    @Test
    void operatorsAndAdminsReadTheMetricsTenantRolesAndAnonymousCallersDoNot() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).listen(new InetSocketAddress("127.0.0.1", 0)).clock(clock).build()
                .withAuth(new AuthSettings(tokenFile, false)), new FakeUplink(clock));
        Api admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        Api developer = admin.as(admin.token("ocean", "developer", "1d"));
        Api tenantAdmin = admin.as(admin.token("ocean", "tenant-admin", "1d"));
        Api operator = admin.as(admin.token(null, "operator", "1d"));

        assertThat(admin.as(null).get("/metrics").status()).isEqualTo(401);
        assertThat(developer.get("/metrics").status()).isEqualTo(403);
        Api.Reply refused = tenantAdmin.get("/metrics");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("message").asText()).contains("may not get metrics fleet-wide");
        assertThat(developer.get("/api/v1/satellites/sat-secret-name/workloads").status()).isEqualTo(200);

        Api.Reply r = operator.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.response().headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = new String(r.raw(), StandardCharsets.UTF_8);
        assertThat(text).contains("orchide_ground_database_up 1\n")
                .contains("orchide_ground_api_requests_total{route=\"metrics\",method=\"GET\",code=\"401\"} 1\n")
                .contains("orchide_ground_api_requests_total{route=\"metrics\",method=\"GET\",code=\"403\"} 2\n")
                .contains("orchide_ground_api_requests_total{route=\"satellites/workloads\",method=\"GET\",code=\"200\"} 1\n")
                .contains("orchide_ground_auth_decisions_total{outcome=\"unauthenticated\",resource=\"none\"} 1\n")
                .contains("orchide_ground_auth_decisions_total{outcome=\"denied\",resource=\"metrics\"} 2\n")
                .contains("orchide_ground_auth_decisions_total{outcome=\"allowed\",resource=\"metrics\"} 1\n")
                .containsPattern("orchide_ground_audit_entries_total [1-9]")
                .contains("orchide_ground_satellites 0\n")
                .contains("process_resident_memory_bytes ")
                .doesNotContain("sat-secret-name");
        assertThat(admin.get("/metrics").status()).isEqualTo(200);
    }
}
