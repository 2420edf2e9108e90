package io.orchide.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The verbs against ground: --satellite paths, the fleet and reported-state tables, image push, product download. */
class GroundVerbsTest {
    @RegisterExtension
    final FakeServer ground = FakeServer.ground();

    @Test
    void getSatellitesShowsContactAndQueues() {
        Instant ended = Instant.now().minusSeconds(30);
        ground.on("GET /api/v1/satellites", 200, """
                {"items":[{"name":"sat-1","nodes":["n1"],"connected":false,"lastContact":"%s",
                 "uplinkQueue":{"bundles":3,"bytes":2048},"downlinkQueue":{"bundles":1,"bytes":10,"asOf":"%s"}},
                 {"name":"sat-2","nodes":[],"uplinkQueue":{"bundles":0,"bytes":0},"downlinkQueue":{"bundles":null}}]}
                """.formatted(ended, ended.minusSeconds(600)));
        FakeServer.Result r = ground.run("get", "satellites");
        assertThat(r.status()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("NAME +NODES +LAST CONTACT +NEXT PASS +UPLINK QUEUE +DOWNLINK QUEUE +POSITION");
        assertThat(lines[1]).matches("sat-1 +1 +3\\ds ago +- +3 \\(2\\.0KiB\\) +1 \\(10B\\), 1\\dm ago +-");
        assertThat(lines[2]).matches("sat-2 +0 +never +- +0 \\(0B\\) +- +-");
    }

    @Test
    void aSatelliteInContactShowsConnectedSinceWhenAndItsDownlinkQueueAsOldAsTheNodesReport() {
        Instant began = Instant.now().minusSeconds(25);
        ground.on("GET /api/v1/satellites", 200, """
                {"items":[{"name":"sat-1","nodes":["n1"],"connected":true,"connectedSince":"%s","connectedSeconds":25,
                 "lastContact":"%s","contactAgeSeconds":0,"uplinkQueue":{"bundles":0,"bytes":0},
                 "downlinkQueue":{"bundles":2,"bytes":4096,"asOf":"%s","ageSeconds":25}}]}
                """.formatted(began, Instant.now(), began));
        FakeServer.Result r = ground.run("get", "satellites");
        assertThat(r.status()).isZero();
        assertThat(r.out().split("\n")[1]).as("the link is up: not a last contact 25s ago, and the node's queue "
                + "was 2 when the session began").matches("sat-1 +1 +connected for 2\\ds +- +0 \\(0B\\) +2 \\(4\\.0KiB\\), 2\\ds ago +-");
    }

    static final String N1_POSITION = """
            {"node":"n1","source":"gnss gnss-1, then tle SAT-1 (epoch 26330.5)","fix":{"from":"gnss gnss-1",
             "time":"2026-12-07T10:00:00Z","ageSeconds":5400,"latitudeDeg":48.1173,"longitudeDeg":-11.516667,
             "altitudeM":512000.0},"reportedAt":"2026-12-07T10:00:02Z","reportAgeSeconds":5398}""";
    static final String POSITIONS = "[" + N1_POSITION + """
            ,{"node":"n2","source":"gnss gnss-2","reason":"gnss gnss-2: the receiver has given no fix yet",
              "reportedAt":"2026-12-07T10:00:02Z","reportAgeSeconds":5398},
             {"node":"n3","reason":"the node has reported no position yet"}]""";

    @Test
    void getSatellitesShowsWhereItsNodesLastSaidTheyWereAndHowOldThatIs() {
        ground.on("GET /api/v1/satellites", 200, """
                {"items":[{"name":"sat-1","nodes":["n1"],"connected":false,"lastContact":null,
                 "uplinkQueue":{"bundles":0,"bytes":0},"downlinkQueue":{"bundles":null},"positions":[%s]},
                 {"name":"sat-2","nodes":["n1","n2","n3"],"connected":false,"lastContact":null,
                 "uplinkQueue":{"bundles":0,"bytes":0},"downlinkQueue":{"bundles":null},"positions":%s}]}
                """.formatted(N1_POSITION, POSITIONS));
        FakeServer.Result r = ground.run("get", "satellites");
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[1]).as("the fix's age by ground's clock: 90 minutes old")
                .matches("sat-1 +1 +never +- +0 \\(0B\\) +- +48\\.12N 11\\.52W 90m old");
        assertThat(lines[2]).endsWith("n1: 48.12N 11.52W 90m old; n2: no fix; n3: not reported");

        FakeServer.Result json = ground.run("get", "satellites", "-o", "json");
        assertThat(json.out()).contains("\"positions\"").contains("\"latitudeDeg\" : 48.1173");
    }

    @Test
    void describeSatelliteShowsEachNodesPositionInFullOrWhyThereIsNone() {
        ground.on("GET /api/v1/satellites/sat-2", 200, """
                {"name":"sat-2","nodes":[{"name":"n1","arch":"x86_64","vcpus":2,"memoryMib":512,"monitors":[],
                 "accelerators":[],"devices":[],"version":"0.1.0","firstSeen":"%s","lastSeen":"%s"}],
                 "connected":false,"lastContact":"%s","contactAgeSeconds":3600,
                 "uplinkQueue":{"bundles":0,"bytes":0},"downlinkQueue":{"bundles":null},"created":null,"positions":%s}
                """.formatted(Instant.now(), Instant.now(), Instant.now().minusSeconds(3600), POSITIONS));
        FakeServer.Result r = ground.run("describe", "satellite", "sat-2");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("Last contact:").contains("(60m ago)")
                .containsPattern("n1 +x86_64 +2 +512Mi +0\\.1\\.0")
                .contains("  n1: 48.1173N 11.5167W, 512000 m, fix of 2026-12-07T10:00:00Z (90m old) from gnss gnss-1; "
                        + "source: gnss gnss-1, then tle SAT-1 (epoch 26330.5)")
                .contains("  n2: none: gnss gnss-2: the receiver has given no fix yet; source: gnss gnss-2")
                .contains("  n3: none: the node has reported no position yet");
    }

    @Test
    void devicesOfASatelliteEndWithEachNodesPosition() {
        ground.on("GET /api/v1/satellites/sat-1/devices", 200, """
                {"satellite":"sat-1","now":"%s","items":[{"node":"n1","name":"gnss-1","class":"gnss","state":"ready",
                 "desired":{},"reported":{},"reportedAt":"%s","ageSeconds":5,"receivedAt":"%s"}],"positions":%s}
                """.formatted(Instant.now(), Instant.now(), Instant.now(), POSITIONS));
        FakeServer.Result r = ground.run("get", "devices", "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("n1 +gnss-1 +gnss +ready +- +\\ds ago")
                .contains("POSITION n1: 48.1173N 11.5167W, 512000 m, fix of 2026-12-07T10:00:00Z (90m old)")
                .contains("POSITION n3: none: the node has reported no position yet");
        assertThat(ground.run("get", "devices", "--satellite", "sat-1", "-o", "json").out())
                .contains("\"items\"").contains("\"positions\"");
    }

    @Test
    void workloadsOfASatelliteAreItsLastReport() {
        ground.on("GET /api/v1/satellites/sat-1/workloads", 200, """
                {"items":[{"node":"n1","name":"hello","state":"Running","since":"%s","restarts":0,"reportedAt":"%s"}]}
                """.formatted(Instant.now().minusSeconds(600), Instant.now().minusSeconds(90)));
        FakeServer.Result r = ground.run("get", "workloads", "--satellite", "sat-1");
        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("hello +n1 +Running +0 +10m +9\\ds ago");
        assertThat(ground.only().path()).isEqualTo("/api/v1/satellites/sat-1/workloads");
    }

    @Test
    void eventsOfASatelliteAreWhatItsNodesReportedAndNeedTheSatellite() {
        ground.on("GET /api/v1/satellites/sat-1/events", 200, """
                {"satellite":"sat-1","items":[{"node":"obc","at":"2026-12-01T10:00:03Z","subject":"storage",
                 "message":"storage full: 33770438 bytes free; was ok","receivedAt":"2026-12-01T10:41:00Z"}]}""");
        FakeServer.Result r = ground.run("get", "events", "--satellite", "sat-1", "--limit", "5");
        assertThat(r.status()).isZero();
        assertThat(r.out()).containsPattern("AT +NODE +SUBJECT +MESSAGE")
                .containsPattern("2026-12-01T10:00:03Z +obc +storage +storage full: 33770438 bytes free; was ok");
        assertThat(ground.only().toString()).isEqualTo("GET /api/v1/satellites/sat-1/events?limit=5");

        FakeServer.Result alone = ground.run("get", "events");
        assertThat(alone.status()).isNotZero();
        assertThat(alone.err()).contains("get events --satellite NAME");
    }

    @Test
    void applyThroughGroundPushesTheImageAndNamesItByContent() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "ground-apply");
        Files.write(dir.resolve("app.elf"), new byte[]{1, 2, 3});
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: app.elf
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                """);
        String digest = "sha256:" + "ab".repeat(32);
        ground.on("GET /api/v1/images", 200, "{\"items\":[]}");
        ground.on("POST /api/v1/images", 201, "{\"digest\":\"" + digest + "\",\"size\":3,\"chunks\":1}");
        ground.on("POST /api/v1/satellites/sat-1/apply", 201,
                "{\"items\":[{\"kind\":\"App\",\"name\":\"hello\",\"result\":\"created\",\"generation\":1}]}");
        FakeServer.Result r = ground.run("apply", "-f", dir.resolve("app.yaml").toString(), "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("app/hello created (generation 1, delivered to sat-1 at its next contact)\n");
        FakeServer.Request apply = ground.requests.stream().filter(q -> q.path().endsWith("/apply")).findFirst().orElseThrow();
        assertThat(apply.body()).contains("\"image\":\"" + digest + "\"");
        assertThat(ground.requests).extracting(q -> q.method() + " " + q.path())
                .containsExactly("GET /api/v1/images", "POST /api/v1/images", "POST /api/v1/satellites/sat-1/apply");
    }

    @Test
    void applyThroughGroundDoesNotSendAgainAnImageGroundHolds() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "ground-reapply");
        Files.write(dir.resolve("app.elf"), new byte[]{1, 2, 3});
        Files.writeString(dir.resolve("app.yaml"), """
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: app.elf
                  runtime: {family: multiboot, monitor: qemu, arch: x86_64}
                """);
        String digest = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(new byte[]{1, 2, 3}));
        ground.on("GET /api/v1/images", 200, "{\"items\":[{\"digest\":\"" + digest
                + "\",\"size\":3,\"chunks\":1,\"created\":\"2026-01-01T00:00:00Z\"}]}");
        ground.on("POST /api/v1/satellites/sat-1/apply", 200,
                "{\"items\":[{\"kind\":\"App\",\"name\":\"hello\",\"result\":\"unchanged\",\"generation\":1}]}");
        FakeServer.Result r = ground.run("apply", "-f", dir.resolve("app.yaml").toString(), "--satellite", "sat-1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(ground.requests).extracting(q -> q.method() + " " + q.path())
                .containsExactly("GET /api/v1/images", "POST /api/v1/satellites/sat-1/apply");
        assertThat(ground.requests.getLast().body()).contains("\"image\":\"" + digest + "\"");
    }

    @Test
    void deleteAndEventThroughGroundAreQueuedForTheNextContact() {
        ground.on("DELETE /api/v1/satellites/sat-1/apps/hello", 200, "{\"generation\":4}");
        ground.on("POST /api/v1/satellites/sat-1/events", 202, "{\"bundle\":\"event.sat-1.1\"}");
        assertThat(ground.run("delete", "workload", "hello", "--satellite", "sat-1").out())
                .isEqualTo("workload/hello deletion queued (generation 4, delivered to sat-1 at its next contact)\n");
        assertThat(ground.run("event", "capture", "--satellite", "sat-1").out())
                .isEqualTo("event/capture queued for sat-1 (raised on board at its next contact)\n");
        assertThat(ground.run("delete", "workload", "hello", "--satellite", "Bad_Name").err())
                .contains("invalid name Bad_Name");
    }

    @Test
    void productsGetWritesTheContentWhole() throws Exception {
        ground.onText("GET /api/v1/products/12/content", "the product bytes");
        Path out = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "dl").resolve("p.bin");
        FakeServer.Result r = ground.run("products", "get", "12", "-o", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo("the product bytes");
        assertThat(ground.run("products", "get", "x1", "-o", out.toString()).err()).contains("the id is a number");
    }

    @Test
    void productsDeleteRemovesItFromGround() {
        ground.on("DELETE /api/v1/products/12", 200, """
                {"id":12,"satellite":"sat-1","name":"count.json","size":2000,"deleted":true}""");
        FakeServer.Result r = ground.run("products", "delete", "12");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("product 12 (count.json, 2000 bytes) deleted\n");
        assertThat(ground.only().method()).isEqualTo("DELETE");
        assertThat(ground.run("products", "get", "12").err()).contains("-o FILE is required");
        assertThat(ground.run("products", "remove", "12").err()).contains("unknown action remove (known: get, delete)");
    }
}
