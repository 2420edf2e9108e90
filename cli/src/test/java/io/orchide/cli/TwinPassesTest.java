package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.Transfers;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.orbit.Contact;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.Repo;
import io.orchide.twin.plan.Timeline;
import io.orchide.twin.run.PassFeed;
import io.orchide.twin.scenario.SatelliteSpec;
import io.orchide.twin.scenario.Scenario;
import io.orchide.twin.scenario.ScenarioReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The twin gives ground the stations and TLEs it flies with (the demo's scenario), and ground's passes for each of its
 * satellites, the next one first, are the twin's own contact windows within 30 s.
 */
class TwinPassesTest {
    @TempDir
    Path tmp;

    @Test
    void groundsPassesForTheTwinsSatellitesAreTheTwinsContacts() throws Exception {
        Scenario scenario = ScenarioReader.read(Repo.resolve("examples/scenarios/two-sats.yaml"));
        Timeline timeline = Timeline.of(scenario, null);
        MutableClock clock = new MutableClock(scenario.start());
        try (GroundServer ground = GroundServer.start(GroundConfig.builder().dataDir(tmp)
                .listen(new InetSocketAddress("127.0.0.1", 0)).linkListen("127.0.0.1:0").clock(clock).build())) {
            String api = "http://127.0.0.1:" + ground.apiAddress().getPort();
            String token = Files.readString(tmp.resolve("admin.token")).strip();
            PassFeed.feed(api, token, scenario.stations(), scenario.satellites());
            HttpApi admin = new HttpApi(URI.create(api), Transfers.NONE, token);

            assertThat(admin.get("/api/v1/stations").path("items")).hasSize(scenario.stations().size());
            for (SatelliteSpec sat : scenario.satellites()) {
                List<Contact> twin = timeline.contacts().get(sat.name()).stream()
                        .filter(c -> c.start().isBefore(scenario.start().plus(Duration.ofHours(6)))).toList();
                assertThat(twin).as("the twin's contacts of %s", sat.name()).isNotEmpty();
                JsonNode passes = admin.get("/api/v1/satellites/" + sat.name() + "/passes?next=6h").path("items");
                assertThat(passes).as("ground's passes of %s", sat.name()).hasSize(twin.size());
                for (int i = 0; i < twin.size(); i++) {
                    JsonNode p = passes.get(i);
                    Contact c = twin.get(i);
                    assertThat(p.path("station").asText()).isEqualTo(c.station());
                    assertThat(Instant.parse(p.path("aos").asText())).isCloseTo(c.start(), within(30, java.time.temporal.ChronoUnit.SECONDS));
                    assertThat(Instant.parse(p.path("los").asText())).isCloseTo(c.end(), within(30, java.time.temporal.ChronoUnit.SECONDS));
                }
                // what apply --satellite and get satellites call the next pass is the twin's first contact
                JsonNode next = admin.post("/api/v1/satellites/" + sat.name() + "/apply", """
                        apiVersion: orchide.io/v1
                        kind: App
                        metadata: {name: hello}
                        spec:
                          image: /opt/hello.elf
                          runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                        """).path("delivery").path("nextPass");
                assertThat(next.path("station").asText()).isEqualTo(twin.getFirst().station());
                assertThat(Instant.parse(next.path("aos").asText())).isCloseTo(twin.getFirst().start(), within(30, java.time.temporal.ChronoUnit.SECONDS));
                assertThat(Instant.parse(next.path("los").asText())).isCloseTo(twin.getFirst().end(), within(30, java.time.temporal.ChronoUnit.SECONDS));
            }
        }
    }
}
