package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ground with authentication on, a fake uplink, two tenants (ocean and fire) and a client for each role the
 * desired-state tests of fleet-wide kinds need: the platform admin, a fleet-wide operator, ocean's developer and
 * tenant admin, and fire's developer. Before each test of a subclass.
 */
abstract class TwoTenantGround {
    static final String SAT = "/api/v1/satellites/sat-1";

    @TempDir
    Path tmp;
    GroundServer ground;
    FakeUplink uplink;
    Api admin, operator, ocean, oceanAdmin, fire;

    /** The body that creates tenant ocean. */
    String oceanTenant() {
        return "{\"name\": \"ocean\"}";
    }

    @BeforeEach
    void startGround() throws Exception {
        uplink = new FakeUplink(new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).listen(new InetSocketAddress("127.0.0.1", 0))
                .build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        assertThat(admin.post("/api/v1/tenants", oceanTenant()).status()).isEqualTo(201);
        admin.post("/api/v1/tenants", "{\"name\": \"fire\"}");
        operator = admin.as(admin.token(null, "operator", "1d"));
        ocean = admin.as(admin.token("ocean", "developer", "1d"));
        oceanAdmin = admin.as(admin.token("ocean", "tenant-admin", "1d"));
        fire = admin.as(admin.token("fire", "developer", "1d"));
    }

    @AfterEach
    void stopGround() {
        if (ground != null) ground.close();
    }
}
