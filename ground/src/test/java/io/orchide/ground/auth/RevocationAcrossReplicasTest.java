package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two ground replicas on one real PostgreSQL, each keeping verified tokens in its cache: a token revoked or a binding
 * made through replica A takes effect on replica B at the very next request, also when B's listening session was
 * cut (pg_terminate_backend) just before, and again once B listens anew.
 */
class RevocationAcrossReplicasTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    String url;
    GroundServer a, b;
    Api adminA, adminB;

    @BeforeEach
    void start() throws Exception {
        url = TestPostgres.newDatabase();
        MutableClock clock = new MutableClock(T0);
        FakeUplink link = new FakeUplink(clock);
        Path tokenFile = tmp.resolve("admin.token");
        a = GroundServer.start(GroundConfig.builder()
                .dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build()
                .withAuth(new AuthSettings(tokenFile, false)), link);
        b = GroundServer.start(GroundConfig.builder()
                .dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build()
                .withAuth(new AuthSettings(tmp.resolve("b.token"), false)), link);
        String admin = Files.readString(tokenFile).strip();
        adminA = new Api(a.apiAddress().getPort(), admin);
        adminB = new Api(b.apiAddress().getPort(), admin);
        await().atMost(Duration.ofSeconds(30)).until(() -> listener(b).trusted() && listener(a).trusted());
    }

    @AfterEach
    void stop() {
        if (b != null) b.close();
        if (a != null) a.close();
    }

    static ListenedChanges listener(GroundServer g) {
        return (ListenedChanges) g.authStore().changes();
    }

    /** A viewer token of tenant default made through A, used twice on B (the second from B's cache); its id and B's caller. */
    record Used(String id, Api onB) { }

    Used viewerUsedOnB() throws Exception {
        Api.Reply made = adminA.post("/api/v1/tokens", "{\"role\": \"viewer\", \"tenant\": \"default\"}");
        assertThat(made.status()).isEqualTo(201);
        Api onB = adminB.as(made.json().path("token").asText());
        assertThat(onB.get("/api/v1/satellites").status()).isEqualTo(200);
        assertThat(onB.get("/api/v1/satellites").status()).isEqualTo(200);
        return new Used(made.json().path("id").asText(), onB);
    }

    void revokeThroughA(Used u) throws Exception {
        assertThat(adminA.delete("/api/v1/tokens/" + u.id()).status()).isEqualTo(200);
    }

    static void assertRevoked(Api.Reply r) {
        assertThat(r.status()).as("refused at the next request").isEqualTo(401);
        assertThat(r.json().path("message").asText()).contains("revoked");
    }

    @Test
    void aTokenRevokedThroughOneReplicaIsRefusedByTheOtherAtTheNextRequest() throws Exception {
        Used u = viewerUsedOnB();
        revokeThroughA(u);
        assertRevoked(u.onB().get("/api/v1/satellites"));
    }

    @Test
    void aBindingMadeThroughOneReplicaCountsOnTheOtherAtTheNextRequest() throws Exception {
        assertThat(adminA.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        Used u = viewerUsedOnB();
        assertThat(u.onB().get("/api/v1/auth/whoami").json().path("bindings")).hasSize(1);
        assertThat(adminA.post("/api/v1/rolebindings", "{\"principal\": \"sa-" + u.id()
                + "\", \"role\": \"viewer\", \"tenant\": \"ocean\"}").status()).isEqualTo(201);
        assertThat(u.onB().get("/api/v1/auth/whoami").json().path("bindings").findValuesAsText("tenant"))
                .containsExactlyInAnyOrder("default", "ocean");
    }

    @Test
    void aReplicaWhoseListeningSessionWasCutNeverServesARevokedTokenFromItsCache() throws Exception {
        Used first = viewerUsedOnB();
        Used second = viewerUsedOnB();
        long sessions = listener(b).sessions();
        assertThat(terminate(listener(b).sessionName())).as("B's listening session was found and cut").isEqualTo(1);
        revokeThroughA(first);
        assertRevoked(first.onB().get("/api/v1/satellites"));

        // B listens again: a revocation made then reaches it by its notification
        await().atMost(Duration.ofSeconds(30)).until(() -> listener(b).sessions() > sessions && listener(b).trusted());
        assertThat(second.onB().get("/api/v1/satellites").status()).isEqualTo(200);
        revokeThroughA(second);
        assertRevoked(second.onB().get("/api/v1/satellites"));
    }

    /** Ends the PostgreSQL sessions named {@code applicationName}; how many. */
    int terminate(String applicationName) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     + "WHERE application_name = ?")) {
            ps.setString(1, applicationName);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) if (rs.getBoolean(1)) n++;
            }
            return n;
        }
    }
}
