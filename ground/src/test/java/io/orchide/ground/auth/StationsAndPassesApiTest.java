package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground stations and TLEs over real HTTP: operators apply stations and set TLEs, a bad one is refused naming the
 * field and changes nothing, and every role that reads a satellite reads its passes and its next pass.
 */
class StationsAndPassesApiTest {
    static final Instant T0 = Instant.parse("2008-09-20T12:00:00Z");
    static final String LINE1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927";
    static final String LINE2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537";
    static final String STATION = """
            {"apiVersion": "orchide.io/v1", "kind": "GroundStation", "metadata": {"name": "toulouse"},
             "spec": {"latitude": 43.6045, "longitude": 1.444, "altitude": 150, "minElevation": 10,
                      "uplinkRate": "256k", "downlinkRate": "10M"}}
            """;

    @TempDir
    Path tmp;
    GroundServer ground;
    FakeUplink uplink;
    Api admin, operator, developer;

    @BeforeEach
    void start() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder().dataDir(tmp).listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock).build().withAuth(new AuthSettings(tokenFile, false)), uplink = new FakeUplink(clock));
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        operator = admin.as(admin.token(null, "operator", "1d"));
        developer = admin.as(admin.token("ocean", "developer", "1d"));
        ground.linkEvents().contactOpened(Fixtures.contact("sat-1", "n1", T0));
    }

    @AfterEach
    void stop() {
        ground.close();
    }

    @Test
    void anOperatorAppliesAStationAndATleAndATenantReadsThePasses() throws Exception {
        assertThat(developer.call("PUT", "/api/v1/stations/toulouse", STATION).status()).isEqualTo(403);
        Api.Reply created = operator.call("PUT", "/api/v1/stations/toulouse", STATION);
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        assertThat(created.json().path("downlinkRate").asLong()).isEqualTo(10_000_000);
        assertThat(operator.call("PUT", "/api/v1/stations/toulouse", STATION).json().path("result").asText()).isEqualTo("configured");

        assertThat(developer.get("/api/v1/satellites/sat-1/passes").code()).as("no TLE yet").isEqualTo("not_found");
        String tle = "{\"tle\": \"" + LINE1 + "\\n" + LINE2 + "\"}";
        assertThat(developer.call("PUT", "/api/v1/satellites/sat-1/tle", tle).status()).isEqualTo(403);
        assertThat(operator.call("PUT", "/api/v1/satellites/sat-1/tle", tle).status()).isEqualTo(200);

        Api.Reply r = developer.get("/api/v1/satellites/sat-1/passes?next=24h");
        assertThat(r.status()).as("%s", r.json()).isEqualTo(200);
        JsonNode items = r.json().path("items");
        assertThat(items.size()).isGreaterThanOrEqualTo(4);
        JsonNode first = items.get(0);
        assertThat(first.path("station").asText()).isEqualTo("toulouse");
        Instant aos = Instant.parse(first.path("aos").asText());
        Instant los = Instant.parse(first.path("los").asText());
        assertThat(aos).isAfter(T0).isBefore(los);
        assertThat(first.path("maxElevation").asDouble()).isGreaterThanOrEqualTo(10);
        assertThat(first.path("startsInSeconds").asLong()).as("by ground's clock").isEqualTo(Duration.between(T0, aos).toSeconds());
        long seconds = Duration.between(aos, los).toMillis();
        assertThat(first.path("downlinkBytes").asLong()).isEqualTo((long) (10_000_000 * (seconds / 1000.0) / 8));
        assertThat(first.path("uplinkBytes").asLong()).isEqualTo((long) (256_000 * (seconds / 1000.0) / 8));
        assertThat(developer.get("/api/v1/satellites/sat-1/passes?next=1h").json().path("items")).isEmpty();

        JsonNode sat = developer.get("/api/v1/satellites").json().path("items").get(0);
        assertThat(sat.path("nextPass").path("aos").asText()).isEqualTo(first.path("aos").asText());
        assertThat(developer.get("/api/v1/stations").status()).as("stations are the fleet's").isEqualTo(403);
        assertThat(operator.get("/api/v1/stations").json().path("items").get(0).path("name").asText()).isEqualTo("toulouse");
    }

    @Test
    void aBadTleOrStationIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
        String good = "{\"tle\": \"" + LINE1 + "\\n" + LINE2 + "\"}";
        assertThat(operator.call("PUT", "/api/v1/satellites/sat-1/tle", good).status()).isEqualTo(200);
        String badSum = "{\"tle\": \"" + LINE1.substring(0, 68) + "8\\n" + LINE2 + "\"}";
        Api.Reply r = operator.call("PUT", "/api/v1/satellites/sat-1/tle", badSum);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").get(0).path("field").asText()).isEqualTo("tle.line1.checksum");
        assertThat(r.json().path("errors").get(0).path("value").asText()).isEqualTo("8");
        assertThat(r.json().path("errors").get(0).path("message").asText()).isEqualTo("does not match the computed checksum 7");
        Api.Reply shortLine = operator.call("PUT", "/api/v1/satellites/sat-1/tle", "{\"tle\": \"" + LINE1 + "\\n" + LINE2.substring(0, 60) + "\"}");
        assertThat(shortLine.json().path("errors").get(0).path("field").asText()).isEqualTo("tle.line2.length");
        assertThat(operator.get("/api/v1/satellites/sat-1/tle").json().path("line1").asText()).isEqualTo(LINE1);

        Api.Reply bad = operator.call("PUT", "/api/v1/stations/toulouse",
                STATION.replace("43.6045", "95").replace("\"10M\"", "\"fast\"").replace("\"minElevation\": 10,", ""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("spec.latitude", "spec.downlinkRate");
        assertThat(operator.get("/api/v1/stations/toulouse").status()).isEqualTo(404);
        assertThat(operator.call("PUT", "/api/v1/stations/other", STATION).json().path("errors").get(0).path("field").asText())
                .isEqualTo("metadata.name");
        assertThat(operator.get("/api/v1/satellites/sat-1/passes?next=20d").json().path("errors").get(0).path("field").asText())
                .isEqualTo("next");
    }

    @Test
    void applyingToASatelliteSaysAtWhichPassItsUplinkQueueWillBeThrough() throws Exception {
        Api.Reply none = developer.call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
        assertThat(none.status()).as("%s", none.json()).isEqualTo(201);
        JsonNode d = none.json().path("delivery");
        assertThat(d.path("nextPass").isNull()).isTrue();
        assertThat(d.path("fits").asBoolean()).isFalse();
        assertThat(d.path("noPass").asText()).isEqualTo("no TLE for sat-1");
        long first = d.path("queuedBytes").asLong();
        assertThat(first).as("the App's bundle").isEqualTo(uplink.stats("sat-1").queuedBytes()).isPositive();

        assertThat(operator.call("PUT", "/api/v1/satellites/sat-1/tle", "{\"tle\": \"" + LINE1 + "\\n" + LINE2 + "\"}").status())
                .isEqualTo(200);
        assertThat(operator.call("PUT", "/api/v1/stations/toulouse", STATION).status()).isEqualTo(201);
        JsonNode passes = developer.get("/api/v1/satellites/sat-1/passes?next=48h").json().path("items");
        Api.Reply fits = developer.call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.PIPELINE);
        d = fits.json().path("delivery");
        assertThat(d.path("queuedBytes").asLong()).as("the App's bundle and the Pipeline's").isGreaterThan(first)
                .isEqualTo(uplink.stats("sat-1").queuedBytes());
        assertThat(d.path("inContact").asBoolean()).isFalse();
        assertThat(d.path("nextPass").path("aos").asText()).isEqualTo(passes.get(0).path("aos").asText());
        assertThat(d.path("capacityBytes").asLong()).isEqualTo(passes.get(0).path("uplinkBytes").asLong());
        assertThat(d.path("fits").asBoolean()).isTrue();
        assertThat(d.path("throughBy").path("aos").asText()).isEqualTo(passes.get(0).path("aos").asText());
        JsonNode queue = developer.get("/api/v1/satellites").json().path("items").get(0).path("uplinkQueue");
        assertThat(queue.path("fitsNextPass").asBoolean()).isTrue();

        // a station so slow that each pass carries a few hundred bytes: the queue is through several passes later
        assertThat(operator.call("PUT", "/api/v1/stations/toulouse", STATION.replace("\"256k\"", "\"8\"")).status()).isEqualTo(200);
        passes = developer.get("/api/v1/satellites/sat-1/passes?next=48h").json().path("items");
        Api.Reply over = developer.call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP_CHANGED);
        d = over.json().path("delivery");
        long queued = d.path("queuedBytes").asLong();
        assertThat(d.path("fits").asBoolean()).isFalse();
        assertThat(queued).isGreaterThan(d.path("capacityBytes").asLong());
        long carried = 0;
        int by = 0;
        while (carried < queued) carried += passes.get(by++).path("uplinkBytes").asLong();
        assertThat(by).isGreaterThan(1);
        assertThat(d.path("throughBy").path("aos").asText()).isEqualTo(passes.get(by - 1).path("aos").asText());
        assertThat(developer.get("/api/v1/satellites").json().path("items").get(0).path("uplinkQueue").path("fitsNextPass")
                .asBoolean()).isFalse();

        uplink.connectedSince.put("sat-1", T0);
        d = developer.call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP).json().path("delivery");
        assertThat(d.path("inContact").asBoolean()).isTrue();
    }
}
