package io.orchide.ground.series;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.auth.AuthSettings;
import io.orchide.link.Bundle;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.FullLog;
import io.orchide.model.message.LogRequest;
import io.orchide.model.message.ProductPayload;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A workload's whole log on request: asked through ground, sent up, answered by the node, shown once it arrived. */
class FullLogTest {
    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final SeriesTest http = new SeriesTest();

    @AfterEach
    void stop() {
        if (http.ground != null) http.ground.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aRequestGoesUpTheAnswerComesDownAndOnlyItsOwnerSeesIt(String backend) throws Exception {
        Path tokenFile = tmp.resolve("admin.token");
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        FakeUplink uplink = new FakeUplink(clock);
        http.tmp = tmp;
        http.ground = GroundServer.start(GroundConfig.builder().dataDir(url == null ? tmp : null).dbUrl(url).clock(clock)
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        http.port = http.ground.apiAddress().getPort();
        String admin = Files.readString(tokenFile).strip();
        http.call("POST", admin, "/api/v1/tenants", "{\"name\": \"fire\"}");
        String fire = http.token(admin, "fire");
        String path = "/api/v1/satellites/sat-1/logs/hello/full";

        assertThat(http.call("GET", admin, path, null).status()).isEqualTo(404);
        // hello belongs to no tenant's App: the fleet's, out of a tenant's reach
        assertThat(http.call("POST", fire, path, "{}").status()).isEqualTo(403);
        SeriesTest.Reply asked = http.call("POST", admin, path, "{}");
        assertThat(asked.status()).isEqualTo(202);
        assertThat(asked.json().path("state").asText()).isEqualTo("requested");
        long id = asked.json().path("id").asLong();
        LogRequest sent = LogRequest.decode(uplink.queued.get("log-request.sat-1." + id).payload());
        assertThat(sent).isEqualTo(new LogRequest("hello", id));
        assertThat(http.call("GET", admin, path, null).json().path("state").asText()).isEqualTo("requested");

        byte[] p = new FullLog("hello", id, clock.instant(), "line 1\nERROR line 2\nline 3", null).encode();
        http.ground.intake().deliver(new Bundle("full-log.sat-1.1", "sat-1", "ground", BundleKind.FULL_LOG.wire(),
                BundleKind.FULL_LOG.priority(), clock.instant(), Duration.ofDays(1), p.length,
                "sha256:" + ProductPayload.sha256(p)), p);
        SeriesTest.Reply shown = http.call("GET", admin, path, null);
        assertThat(shown.json().path("state").asText()).isEqualTo("arrived");
        assertThat(shown.json().path("log").asText()).isEqualTo("line 1\nERROR line 2\nline 3");
        assertThat(http.call("GET", fire, path, null).status()).isEqualTo(404);
    }
}
