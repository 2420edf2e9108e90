package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.model.codec.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The pass verbs against ground: apply a GroundStation, set tle, get passes and stations, NEXT PASS in get satellites. */
class PassVerbsTest {
    static final String LINE1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927";
    static final String LINE2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537";

    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    static Path dir() throws Exception {
        return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "passes");
    }

    @Test
    void applyingAGroundStationPutsItsManifestToGround() throws Exception {
        Path f = dir().resolve("station.yaml");
        Files.writeString(f, """
                apiVersion: orchide.io/v1
                kind: GroundStation
                metadata: {name: svalbard}
                spec: {latitude: 78.23, longitude: 15.39, altitude: 500, minElevation: 5, uplinkRate: 256k, downlinkRate: 100M}
                """);
        ground.on("PUT /api/v1/stations/svalbard", 201, """
                {"name":"svalbard","latitude":78.23,"longitude":15.39,"altitude":500.0,"minElevation":5.0,
                 "uplinkRate":256000,"downlinkRate":100000000,"result":"created"}""");
        FakeServer.Result r = ground.run("apply", "-f", f.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("station/svalbard created");
        JsonNode sent = Trees.readJson(ground.only().body().getBytes(StandardCharsets.UTF_8));
        assertThat(sent.path("kind").asText()).isEqualTo("GroundStation");
        assertThat(sent.path("spec").path("downlinkRate").asText()).isEqualTo("100M");

        Path mixed = f.resolveSibling("mixed.yaml");
        Files.writeString(mixed, Files.readString(f) + "---\napiVersion: orchide.io/v1\nkind: App\nmetadata: {name: a}\n");
        FakeServer.Result refused = ground.run("apply", "-f", mixed.toString());
        assertThat(refused.status()).isNotZero();
        assertThat(refused.err()).contains("GroundStation manifests go in a file of their own");
    }

    @Test
    void setTleSendsTheFileAndGroundsRefusalNamesTheLineAndField() throws Exception {
        Path f = dir().resolve("sat-1.tle");
        Files.writeString(f, LINE1 + "\n" + LINE2 + "\n");
        ground.on("PUT /api/v1/satellites/sat-1/tle", 200, """
                {"satellite":"sat-1","name":"sat-1","line1":"%s","line2":"%s"}""".formatted(LINE1, LINE2));
        // then a TLE that ground refuses
        ground.on("PUT /api/v1/satellites/sat-1/tle", 400, """
                {"code":"invalid","message":"TLE rejected: tle.line1.checksum: does not match the computed checksum 7 (value: 8)",
                 "field":"tle.line1.checksum","errors":[{"field":"tle.line1.checksum","value":"8",
                 "message":"does not match the computed checksum 7"}]}""");
        FakeServer.Result r = ground.run("set", "tle", "sat-1", "-f", f.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("satellite/sat-1 TLE set: sat-1, catalogue number 25544");
        assertThat(Trees.readJson(ground.only().body().getBytes(StandardCharsets.UTF_8)).path("tle").asText())
                .isEqualTo(LINE1 + "\n" + LINE2 + "\n");

        FakeServer.Result bad = ground.run("set", "tle", "sat-1", "-f", f.toString());
        assertThat(bad.status()).isNotZero();
        assertThat(bad.err()).contains("tle.line1.checksum");
    }

    @Test
    void getPassesShowsAosLosStationElevationAndCapacity() {
        Instant aos = Instant.now().plusSeconds(23 * 60 + 30);
        ground.on("GET /api/v1/satellites/sat-1/passes", 200, """
                {"satellite":"sat-1","next":"6h","items":[{"satellite":"sat-1","station":"svalbard","startsInSeconds":1410,"aos":"%s","los":"%s",
                 "durationSeconds":600,"maxElevation":42.25,"uplinkBytes":19200000,"downlinkBytes":7500000000}]}
                """.formatted(aos, aos.plusSeconds(600)));
        FakeServer.Result r = ground.run("get", "passes", "--satellite", "sat-1", "--next", "6h");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("STATION +AOS +LOS +IN +DURATION +MAX ELEVATION +UPLINK +DOWNLINK")
                .containsPattern("svalbard +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +23m +10m00s +42\\.\\d° +18\\.3MiB +7\\.0GiB");
        assertThat(ground.only().toString()).isEqualTo("GET /api/v1/satellites/sat-1/passes?next=6h");

        FakeServer.Result none = ground.run("get", "passes");
        assertThat(none.status()).isNotZero();
        assertThat(none.err()).contains("get passes --satellite NAME");
        assertThat(ground.run("get", "workloads", "--next", "1h").err()).contains("--next applies to passes only");
    }

    @Test
    void getSatellitesShowsTheNextPass() {
        Instant aos = Instant.now().plusSeconds(23 * 60 + 30);
        ground.on("GET /api/v1/satellites", 200, """
                {"items":[{"name":"sat-1","nodes":["n1"],"connected":false,"lastContact":null,
                 "uplinkQueue":{"bundles":0,"bytes":0},"downlinkQueue":{"bundles":null},
                 "nextPass":{"satellite":"sat-1","station":"svalbard","startsInSeconds":1410,"aos":"%s","los":"%s","durationSeconds":600,
                 "maxElevation":42.0,"uplinkBytes":1,"downlinkBytes":2}},
                 {"name":"sat-2","nodes":[],"uplinkQueue":{"bundles":0,"bytes":0},"downlinkQueue":{"bundles":null}}]}
                """.formatted(aos, aos.plusSeconds(600)));
        FakeServer.Result r = ground.run("get", "satellites");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("NAME +NODES +LAST CONTACT +NEXT PASS +UPLINK QUEUE +DOWNLINK QUEUE +POSITION");
        assertThat(lines[1]).matches("sat-1 +1 +never +svalbard in 23m +0 \\(0B\\) +- +-");
        assertThat(lines[2]).matches("sat-2 +0 +never +- +0 \\(0B\\) +- +-");
    }

    static final String ITEM = "{\"kind\":\"App\",\"name\":\"hello\",\"result\":\"created\",\"generation\":1}";

    static String pass(String station, Instant aos, long startsIn, long uplinkBytes) {
        return """
                {"satellite":"sat-1","station":"%s","startsInSeconds":%d,"aos":"%s","los":"%s","durationSeconds":600,
                 "maxElevation":42.0,"uplinkBytes":%d,"downlinkBytes":7500000000}""".formatted(station, startsIn, aos,
                aos.plusSeconds(600), uplinkBytes);
    }

    @Test
    void applyToASatelliteSaysWhenTheChangeWillBeDeliveredAndWhetherItFitsTheNextPass() throws Exception {
        Path f = dir().resolve("app.yaml");
        Files.writeString(f, """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: /opt/absent/hello.elf
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                """);
        Instant aos = Instant.parse("2026-12-07T10:01:12Z");
        Instant later = Instant.parse("2026-12-07T12:40:30Z");
        String next = pass("svalbard", aos, 23 * 60 + 10, 18L << 20);
        String apply = "POST /api/v1/satellites/sat-1/apply";
        ground.on(apply, 201, """
                {"satellite":"sat-1","items":[%s],"delivery":{"queuedBytes":1258291,"inContact":false,"nextPass":%s,
                 "capacityBytes":%d,"fits":true,"throughBy":%s}}""".formatted(ITEM, next, 18L << 20, next));
        ground.on(apply, 201, """
                {"satellite":"sat-1","items":[%s],"delivery":{"queuedBytes":%d,"inContact":false,"nextPass":%s,
                 "capacityBytes":%d,"fits":false,"throughBy":%s}}""".formatted(ITEM, 25L << 20, next, 18L << 20,
                pass("svalbard", later, 9600, 18L << 20)));
        ground.on(apply, 201, """
                {"satellite":"sat-1","items":[%s],"delivery":{"queuedBytes":%d,"inContact":false,"nextPass":%s,
                 "capacityBytes":%d,"fits":false,"throughBy":null}}""".formatted(ITEM, 1L << 40, next, 18L << 20));
        ground.on(apply, 201, """
                {"satellite":"sat-1","items":[%s],"delivery":{"queuedBytes":300,"inContact":false,"nextPass":null,
                 "fits":false,"noPass":"no TLE for sat-1"}}""".formatted(ITEM));
        ground.on(apply, 201, """
                {"satellite":"sat-1","items":[%s],"delivery":{"queuedBytes":300,"inContact":true,"nextPass":%s,
                 "capacityBytes":9000000,"fits":true,"throughBy":%s}}""".formatted(ITEM, pass("svalbard", aos, 0, 9_000_000),
                pass("svalbard", aos, 0, 9_000_000)));
        String head = "app/hello created (generation 1, delivered to sat-1 at its next contact)\n";

        assertThat(ground.run("apply", "-f", f.toString(), "--satellite", "sat-1").out()).isEqualTo(head
                + "delivered at the next pass: svalbard 10:01 UTC (in 23m), 1.2MiB of 18.0MiB capacity\n");
        assertThat(ground.run("apply", "-f", f.toString(), "--satellite", "sat-1").out()).isEqualTo(head
                + "the uplink queue (25.0MiB) exceeds the next pass (18.0MiB, svalbard 10:01 UTC (in 23m)): "
                + "expected through by the pass of 12:40 UTC (in 2h)\n");
        assertThat(ground.run("apply", "-f", f.toString(), "--satellite", "sat-1").out()).isEqualTo(head
                + "the uplink queue (1.0TiB) exceeds the next pass (18.0MiB, svalbard 10:01 UTC (in 23m)) and the passes "
                + "of the next 48h together\n");
        assertThat(ground.run("apply", "-f", f.toString(), "--satellite", "sat-1").out()).isEqualTo(head
                + "no pass known (no TLE for sat-1)\n");
        assertThat(ground.run("apply", "-f", f.toString(), "--satellite", "sat-1").out()).isEqualTo(head
                + "being delivered (in contact with svalbard)\n");
        FakeServer.Result json = ground.run("apply", "-f", f.toString(), "--satellite", "sat-1", "-o", "json");
        assertThat(Trees.readJson(json.out().getBytes(StandardCharsets.UTF_8)).get(0).path("delivery").path("inContact")
                .asBoolean()).isTrue();
    }

    @Test
    void getSatellitesSaysWhetherTheUplinkQueueFitsTheNextPass() {
        Instant aos = Instant.now().plusSeconds(23 * 60 + 30);
        ground.on("GET /api/v1/satellites", 200, """
                {"items":[{"name":"sat-1","nodes":["n1"],"connected":false,"lastContact":null,
                 "uplinkQueue":{"bundles":2,"bytes":2048,"fitsNextPass":true},"downlinkQueue":{"bundles":null},"nextPass":%s},
                 {"name":"sat-2","nodes":[],"connected":false,"lastContact":null,
                 "uplinkQueue":{"bundles":40,"bytes":%d,"fitsNextPass":false},"downlinkQueue":{"bundles":null},"nextPass":%s}]}
                """.formatted(pass("svalbard", aos, 1410, 18L << 20), 25L << 20, pass("kiruna", aos, 1410, 18L << 20)));
        String[] lines = ground.run("get", "satellites").out().split("\n");
        assertThat(lines[1]).matches("sat-1 +1 +never +svalbard in 23m +2 \\(2\\.0KiB\\) fits +- +-");
        assertThat(lines[2]).matches("sat-2 +0 +never +kiruna in 23m +40 \\(25\\.0MiB\\) over next pass +- +-");
    }
}
