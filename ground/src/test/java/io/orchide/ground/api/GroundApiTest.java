package io.orchide.ground.api;

import io.orchide.testkit.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.ground.intake.RefusedBundle;
import io.orchide.model.codec.Trees;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DesiredChange;
import io.orchide.model.message.EventCommand;
import io.orchide.model.message.ProductPayload;
import io.orchide.model.message.StatusReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST API over real HTTP, on SQLite, with a recording uplink in place of the link. */
class GroundApiTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    MutableClock clock;
    FakeUplink uplink;
    GroundServer ground;
    HttpClient http;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(T0);
        uplink = new FakeUplink(clock);
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(tmp)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build(), uplink);
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        ground.close();
    }

    record Reply(int status, JsonNode json, byte[] raw, HttpResponse<byte[]> response) {
    }

    Reply call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ground.apiAddress().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + adminToken());
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json") && r.body().length > 0) {
            json = Trees.readJson(r.body());
        }
        return new Reply(r.statusCode(), json, r.body(), r);
    }

    Reply get(String path) throws Exception { return call("GET", path, null); }

    /** The platform admin token ground wrote at its first start. */
    String adminToken() throws java.io.IOException {
        return java.nio.file.Files.readString(tmp.resolve("admin.token")).strip();
    }

    @Test
    void applyBeforeFirstContactQueuesDeterministicDesiredBundles() throws Exception {
        Reply r = call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP + "---\n" + Fixtures.PIPELINE);
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("items")).hasSize(2);
        assertThat(r.json().path("items").get(0).path("result").asText()).isEqualTo("created");
        assertThat(r.json().path("items").get(0).path("generation").asInt()).isEqualTo(1);
        assertThat(uplink.ids()).containsExactly("desired.sat-1.App.hello.1", "desired.sat-1.Pipeline.scan.1");
        DesiredChange change = DesiredChange.decode(uplink.queued.get("desired.sat-1.App.hello.1").payload());
        assertThat(change.kind()).isEqualTo("App");
        assertThat(change.generation()).isEqualTo(1);
        assertThat(change.manifest()).contains("\"memoryMiB\":32");
        assertThat(uplink.queued.get("desired.sat-1.App.hello.1").destination()).isEqualTo("sat-1");
        assertThat(uplink.queued.get("desired.sat-1.App.hello.1").kind()).isEqualTo(BundleKind.DESIRED.wire());

        Reply d = get("/api/v1/satellites/sat-1/desired");
        assertThat(d.json().path("items")).hasSize(2);
        assertThat(d.json().path("items").get(0).path("generation").asInt()).isEqualTo(1);
        assertThat(d.json().path("items").get(0).path("queued").asBoolean()).isTrue();
        // the satellite is known (addressed) although it never made contact
        Reply s = get("/api/v1/satellites/sat-1");
        assertThat(s.status()).isEqualTo(200);
        assertThat(s.json().path("lastContact").isNull()).isTrue();
        assertThat(s.json().path("uplinkQueue").path("bundles").asInt()).isEqualTo(2);

        // unchanged: no new bundle
        Reply again = call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("items").get(0).path("result").asText()).isEqualTo("unchanged");
        assertThat(uplink.calls()).hasSize(2);

        // changed: generation 2
        Reply changed = call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP_CHANGED);
        assertThat(changed.json().path("items").get(0).path("result").asText()).isEqualTo("configured");
        assertThat(changed.json().path("items").get(0).path("generation").asInt()).isEqualTo(2);
        assertThat(uplink.ids()).contains("desired.sat-1.App.hello.2");

        // delete: a change with no manifest at generation 3
        Reply del = call("DELETE", "/api/v1/satellites/sat-1/apps/hello", null);
        assertThat(del.status()).isEqualTo(200);
        assertThat(del.json().path("result").asText()).isEqualTo("deleted");
        DesiredChange gone = DesiredChange.decode(uplink.queued.get("desired.sat-1.App.hello.3").payload());
        assertThat(gone.deleted()).isTrue();
        assertThat(get("/api/v1/satellites/sat-1/desired").json().path("items")).hasSize(1);
        assertThat(call("DELETE", "/api/v1/satellites/sat-1/apps/hello", null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/satellites/sat-1/pipelines/scan", null).status()).isEqualTo(200);
        // re-creating after a delete goes on counting
        Reply back = call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP);
        assertThat(back.json().path("items").get(0).path("result").asText()).isEqualTo("created");
        assertThat(back.json().path("items").get(0).path("generation").asInt()).isEqualTo(4);
    }

    @Test
    void badManifestIs400NamingFieldAndValueAndStoresNothing() throws Exception {
        Reply r = call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.BAD_APP);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("code").asText()).isEqualTo("invalid");
        assertThat(r.json().path("field").asText()).isEqualTo("spec.resources.memoryMiB");
        assertThat(r.json().path("errors").get(0).path("value").asText()).isEqualTo("-5");
        // a good document beside a bad one: nothing applied, the bad one named by its index
        Reply two = call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.PIPELINE + "---\n" + Fixtures.BAD_APP);
        assertThat(two.status()).isEqualTo(400);
        assertThat(two.json().path("field").asText()).isEqualTo("[1].spec.resources.memoryMiB");
        assertThat(uplink.calls()).isEmpty();
        assertThat(get("/api/v1/satellites/sat-1/desired").json().path("items")).isEmpty();
        assertThat(get("/api/v1/satellites/sat-1").status()).isEqualTo(404);

        Reply badName = call("POST", "/api/v1/satellites/Sat_1/apply", Fixtures.APP);
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().path("field").asText()).isEqualTo("satellite");
        assertThat(badName.json().path("errors").get(0).path("value").asText()).isEqualTo("Sat_1");
        assertThat(call("POST", "/api/v1/satellites/sat-1/apply", "").status()).isEqualTo(400);
    }

    @Test
    void aModelWhoseFileGroundLacksIsRefusedNamingItsDigestAndNothingInTheBatchIsApplied() throws Exception {
        String model = """
                apiVersion: orchide.io/v1
                kind: Model
                metadata: {name: cloud-mask, tenant: default}
                spec: {digest: "sha256:%s", version: "1", accelerators: [cpu]}
                """.formatted("ab".repeat(32));
        Reply r = call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP + "---\n" + model);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).contains("push it first");
        assertThat(r.json().path("field").asText()).isEqualTo("[1].spec.digest");
        assertThat(r.json().path("errors").get(0).path("value").asText()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(uplink.calls()).isEmpty();
    }

    @Test
    void contactRegistersSatelliteAndNodeWithFacts() throws Exception {
        ground.linkEvents().contactOpened(Fixtures.contact("sat-7", "n1", T0));
        clock.advance(Duration.ofSeconds(90));
        JsonNode list = get("/api/v1/satellites").json().path("items");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("name").asText()).isEqualTo("sat-7");
        assertThat(list.get(0).path("nodes").get(0).asText()).isEqualTo("n1");
        assertThat(list.get(0).path("lastContact").asText()).isEqualTo(T0.toString());
        assertThat(list.get(0).path("contactAgeSeconds").asLong()).isEqualTo(90);
        assertThat(list.get(0).path("downlinkQueue").path("bundles").asLong()).isEqualTo(3);
        assertThat(list.get(0).path("downlinkQueue").path("bytes").asLong()).isEqualTo(4096);
        JsonNode one = get("/api/v1/satellites/sat-7").json();
        JsonNode node = one.path("nodes").get(0);
        assertThat(node.path("arch").asText()).isEqualTo("x86_64");
        assertThat(node.path("vcpus").asInt()).isEqualTo(2); // what the node offers to workloads, as its own API says
        assertThat(node.path("memoryMib").asLong()).isEqualTo(4096);
        assertThat(node.path("monitors").toString()).isEqualTo("[\"qemu\",\"runc\"]");
        assertThat(node.path("devices").toString()).isEqualTo("[\"camera\"]");
        assertThat(node.path("version").asText()).isEqualTo("0.1.0");
        // a later contact updates it; bad info still records the contact, not the node
        ground.linkEvents().contactOpened(new io.orchide.link.PeerContact("sat-7", "{\"node\": \"n2\", \"cores\": 0}", 0, 0, clock.instant()));
        JsonNode after = get("/api/v1/satellites/sat-7").json();
        assertThat(after.path("lastContact").asText()).isEqualTo(clock.instant().toString());
        assertThat(after.path("nodes")).hasSize(1);
        assertThat(get("/api/v1/satellites/sat-8").status()).isEqualTo(404);
    }

    @Test
    void aSatelliteInContactIsConnectedSinceItsSessionBeganAndItsDownlinkQueueIsAsOldAsTheReport() throws Exception {
        ground.linkEvents().contactOpened(Fixtures.contact("sat-7", "n1", T0));
        uplink.connectedSince.put("sat-7", T0);
        clock.advance(Duration.ofSeconds(25));
        JsonNode during = get("/api/v1/satellites").json().path("items").get(0);
        assertThat(during.path("connected").asBoolean()).isTrue();
        assertThat(during.path("connectedSince").asText()).isEqualTo(T0.toString());
        assertThat(during.path("connectedSeconds").asLong()).isEqualTo(25);
        assertThat(during.path("lastContact").asText()).as("in contact now").isEqualTo(clock.instant().toString());
        assertThat(during.path("contactAgeSeconds").asLong()).isZero();
        assertThat(during.path("downlinkQueue").path("asOf").asText()).isEqualTo(T0.toString());
        assertThat(during.path("downlinkQueue").path("ageSeconds").asLong()).as("reported at the session's start")
                .isEqualTo(25);
        assertThat(get("/api/v1/satellites/sat-7").json().path("connectedSince").asText()).isEqualTo(T0.toString());

        uplink.connectedSince.remove("sat-7");
        ground.linkEvents().contactClosed("sat-7");
        Instant end = clock.instant();
        clock.advance(Duration.ofSeconds(60));
        JsonNode after = get("/api/v1/satellites/sat-7").json();
        assertThat(after.path("connected").asBoolean()).isFalse();
        assertThat(after.has("connectedSince")).isFalse();
        assertThat(after.path("lastContact").asText()).as("the session's end, not its start").isEqualTo(end.toString());
        assertThat(after.path("contactAgeSeconds").asLong()).isEqualTo(60);
        assertThat(after.path("downlinkQueue").path("ageSeconds").asLong()).isEqualTo(85);
    }

    @Test
    void aSatelliteShowsWhereEachNodeLastSaidItWasWithTheFixsAgeOrWhyThereIsNone() throws Exception {
        ground.linkEvents().contactOpened(Fixtures.contact("sat-7", "n1", T0));
        JsonNode before = get("/api/v1/satellites/sat-7").json().path("positions");
        assertThat(before).hasSize(1);
        assertThat(before.get(0).path("node").asText()).isEqualTo("n1");
        assertThat(before.get(0).path("reason").asText()).isEqualTo(PositionView.NOT_REPORTED);
        assertThat(before.get(0).has("fix")).isFalse();

        StatusReport.Position munich = new StatusReport.Position("gnss gnss-1, then tle SAT-7 (epoch 26330.5)",
                new StatusReport.Position.Fix("gnss gnss-1", T0.minusSeconds(2), 48.1173, 11.516667, 545.4), null);
        byte[] b = new StatusReport(T0, "n1", List.of(), List.of(), List.of(), List.of(), List.of(), null, null, munich)
                .encode();
        ground.intake().deliver(Fixtures.bundle("report.sat-7.1", "sat-7", BundleKind.REPORT.wire(), b, T0), b);
        clock.advance(Duration.ofMinutes(10)); // out of contact since: the fix is as old as the report, and older
        JsonNode listed = get("/api/v1/satellites").json().path("items").get(0).path("positions").get(0);
        assertThat(listed.path("source").asText()).isEqualTo(munich.source());
        assertThat(listed.path("fix").path("from").asText()).isEqualTo("gnss gnss-1");
        assertThat(listed.path("fix").path("latitudeDeg").asDouble()).isEqualTo(48.1173);
        assertThat(listed.path("fix").path("longitudeDeg").asDouble()).isEqualTo(11.516667);
        assertThat(listed.path("fix").path("ageSeconds").asLong()).isEqualTo(602);
        assertThat(listed.path("reportAgeSeconds").asLong()).isEqualTo(600);
        assertThat(get("/api/v1/satellites/sat-7").json().path("positions").get(0)).isEqualTo(listed);
        assertThat(get("/api/v1/satellites/sat-7/devices").json().path("positions").get(0)).isEqualTo(listed);
    }

    @Test
    void reportShowsWorkloadsWithReportedAtAndAge() throws Exception {
        StatusReport rep = Fixtures.report("n1", T0, 3);
        byte[] b = rep.encode();
        ground.intake().deliver(Fixtures.bundle("report.sat-1.1", "sat-1", BundleKind.REPORT.wire(), b, T0), b);
        clock.advance(Duration.ofMinutes(5));
        Reply w = get("/api/v1/satellites/sat-1/workloads");
        assertThat(w.status()).isEqualTo(200);
        JsonNode items = w.json().path("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("name").asText()).isEqualTo("app-0");
        assertThat(items.get(0).path("state").asText()).isEqualTo("failed");
        assertThat(items.get(0).path("message").asText()).isEqualTo("exit 1");
        assertThat(items.get(0).path("reportedAt").asText()).isEqualTo(T0.toString());
        assertThat(items.get(0).path("ageSeconds").asLong()).isEqualTo(300);
        assertThat(get("/api/v1/satellites/sat-1/runs").json().path("items").get(0).path("name").asText()).isEqualTo("scan-1");
        assertThat(get("/api/v1/satellites/sat-1/events").json().path("items").get(0).path("message").asText()).isEqualTo("restarted");
        assertThat(get("/api/v1/satellites/sat-1/logs").json().path("items").get(0).path("lines")).hasSize(2);

        // an older report does not replace the newer snapshot; a newer one does
        byte[] old = Fixtures.report("n1", T0.minusSeconds(60), 1).encode();
        ground.intake().deliver(Fixtures.bundle("report.sat-1.0", "sat-1", BundleKind.REPORT.wire(), old, T0), old);
        assertThat(get("/api/v1/satellites/sat-1/workloads").json().path("items")).hasSize(3);
        byte[] newer = Fixtures.report("n1", clock.instant(), 2).encode();
        ground.intake().deliver(Fixtures.bundle("report.sat-1.2", "sat-1", BundleKind.REPORT.wire(), newer, T0), newer);
        JsonNode now = get("/api/v1/satellites/sat-1/workloads").json().path("items");
        assertThat(now).hasSize(2);
        assertThat(now.get(0).path("ageSeconds").asLong()).isZero();
    }

    @Test
    void productStoredOnceListedWithLineageAndDownloadedByteIdentical() throws Exception {
        byte[] content = new byte[300_000];
        new Random(1).nextBytes(content);
        byte[] payload = Fixtures.product(17, "scan-1", content, T0).encode();
        var bundle = Fixtures.bundle("product.sat-1.17", "sat-1", BundleKind.PRODUCT.wire(), payload, T0);
        ground.intake().deliver(bundle, payload);
        ground.intake().deliver(bundle, payload); // delivered twice (crash before the link's acknowledgement)
        // the same node product in another bundle: stored once too
        ground.intake().deliver(Fixtures.bundle("product.sat-1.17.again", "sat-1", BundleKind.PRODUCT.wire(), payload, T0), payload);
        JsonNode items = get("/api/v1/products").json().path("items");
        assertThat(items).hasSize(1);
        JsonNode p = items.get(0);
        assertThat(p.path("satellite").asText()).isEqualTo("sat-1");
        assertThat(p.path("nodeProductId").asLong()).isEqualTo(17);
        assertThat(p.path("run").asText()).isEqualTo("scan-1");
        assertThat(p.path("lineage").path("pipeline").asText()).isEqualTo("scan");
        assertThat(p.path("sha256").asText()).isEqualTo(ProductPayload.sha256(content));
        assertThat(get("/api/v1/products?satellite=sat-1&run=scan-1").json().path("items")).hasSize(1);
        assertThat(get("/api/v1/products?run=other").json().path("items")).isEmpty();
        long id = p.path("id").asLong();
        assertThat(get("/api/v1/products/" + id).json().path("name").asText()).isEqualTo("count.json");
        Reply c = get("/api/v1/products/" + id + "/content");
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.response().headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(c.response().headers().firstValue("Content-Length")).hasValue(Integer.toString(content.length));
        assertThat(c.raw()).isEqualTo(content);
        assertThat(get("/api/v1/products/999").status()).isEqualTo(404);
        assertThat(get("/api/v1/products/abc").status()).isEqualTo(400);
    }

    @Test
    void corruptOrUnknownBundlesAreRefusedAndChangeNothing() throws Exception {
        byte[] content = Fixtures.bytes("{\"ships\": 3}");
        byte[] good = Fixtures.product(5, "scan-1", content, T0).encode();
        byte[] shaMismatch = good.clone();
        shaMismatch[shaMismatch.length - 2] ^= 1;
        assertThatThrownBy(() -> ground.intake().deliver(Fixtures.bundle("b1", "sat-1", BundleKind.PRODUCT.wire(), shaMismatch, T0), shaMismatch))
                .isInstanceOf(RefusedBundle.class).hasMessageContaining("sha256");
        byte[] truncated = ByteBuffer.allocate(4 + 10).putInt(5000).put(new byte[10]).array();
        assertThatThrownBy(() -> ground.intake().deliver(Fixtures.bundle("b2", "sat-1", BundleKind.PRODUCT.wire(), truncated, T0), truncated))
                .isInstanceOf(RefusedBundle.class).hasMessageContaining("headerLength").hasMessageContaining("5000");
        byte[] badReport = Fixtures.bytes("{\"at\": \"yesterday\", \"node\": \"n1\"}");
        assertThatThrownBy(() -> ground.intake().deliver(Fixtures.bundle("b3", "sat-1", BundleKind.REPORT.wire(), badReport, T0), badReport))
                .isInstanceOf(RefusedBundle.class).hasMessageContaining("at").hasMessageContaining("yesterday");
        assertThatThrownBy(() -> ground.intake().deliver(Fixtures.bundle("b4", "sat-1", "telemetry", good, T0), good))
                .isInstanceOf(RefusedBundle.class).hasMessageContaining("kind");
        assertThat(get("/api/v1/products").json().path("items")).isEmpty();
        assertThat(get("/api/v1/satellites").json().path("items")).isEmpty();
        // the bundle ids were not consumed: a good payload under one of them is taken later
        ground.intake().deliver(Fixtures.bundle("b1", "sat-1", BundleKind.PRODUCT.wire(), good, T0), good);
        assertThat(get("/api/v1/products").json().path("items")).hasSize(1);
    }

    @Test
    void eventsAreQueuedAsEventBundles() throws Exception {
        Reply r = call("POST", "/api/v1/satellites/sat-1/events", "{\"name\": \"scene-requested\"}");
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().path("bundle").asText();
        assertThat(id).isEqualTo("event.sat-1.1");
        EventCommand e = EventCommand.decode(uplink.queued.get(id).payload());
        assertThat(e.name()).isEqualTo("scene-requested");
        assertThat(e.at()).isEqualTo(T0);
        Reply bad = call("POST", "/api/v1/satellites/sat-1/events", "{\"name\": \"Bad Name\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("name");
    }

    @Test
    void outboxKeepsChangesTheLinkRefusedAndResendsThemOnStart() throws Exception {
        uplink.failing = true;
        assertThat(call("POST", "/api/v1/satellites/sat-1/apply", Fixtures.APP).status()).isEqualTo(201);
        assertThat(uplink.ids()).isEmpty();
        assertThat(get("/api/v1/satellites/sat-1/desired").json().path("items").get(0).path("queued").asBoolean()).isFalse();
        ground.close();
        uplink.failing = false;
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(tmp)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build(), uplink);
        assertThat(uplink.ids()).containsExactly("desired.sat-1.App.hello.1");
        assertThat(get("/api/v1/satellites/sat-1/desired").json().path("items").get(0).path("queued").asBoolean()).isTrue();
    }

    @Test
    void linkHealthOpenApiAndErrors() throws Exception {
        assertThat(get("/api/v1/health").json().path("status").asText()).isEqualTo("ok");
        JsonNode api = get("/api/v1/openapi.json").json();
        assertThat(api.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(api.path("paths").has("/satellites/{satellite}/apply")).isTrue();
        assertThat(api.path("paths").has("/images")).isTrue();
        assertThat(call("POST", "/api/v1/link", "{\"open\": true}").json().path("contactOpen").asBoolean()).isTrue();
        assertThat(uplink.open).isTrue();
        assertThat(call("POST", "/api/v1/link", "{\"open\": false}").json().path("contactOpen").asBoolean()).isFalse();
        assertThat(call("POST", "/api/v1/link", "{\"open\": 1}").status()).isEqualTo(400);
        assertThat(get("/api/v1/link").status()).isEqualTo(200);
        assertThat(get("/api/v1/nothing").status()).isEqualTo(404);
        assertThat(call("PUT", "/api/v1/satellites", "").status()).isEqualTo(405);
        assertThat(new String(get("/api/v1/nothing").raw(), StandardCharsets.UTF_8)).contains("not_found");
    }

    @Test
    void anAppNamingAnImageByContentGetsTheImageUplinkedFirstAndAgainOnlyWhatChanged() throws Exception {
        byte[] v1 = new byte[300_000];
        new java.util.Random(3).nextBytes(v1);
        HttpResponse<byte[]> pushed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ground.apiAddress().getPort() + "/api/v1/images")).header("Authorization", "Bearer " + adminToken()).POST(HttpRequest.BodyPublishers.ofByteArray(v1)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pushed.statusCode()).isEqualTo(201);
        String digest = Trees.readJson(pushed.body()).path("digest").asText();
        assertThat(digest).isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(v1)));

        String app = Fixtures.APP.replace("/opt/hello.elf", digest);
        assertThat(call("POST", "/api/v1/satellites/sat-1/apply", app).status()).isEqualTo(201);
        String hex = digest.substring("sha256:".length());
        // the image's manifest and chunk packs are queued ahead of the change that names it
        assertThat(uplink.ids()).startsWith("image.sat-1." + hex, "chunks.sat-1." + hex + ".0");
        assertThat(uplink.ids().getLast()).isEqualTo("desired.sat-1.App.hello.1");
        JsonNode chunks = get("/api/v1/satellites/sat-1/images").json();
        int sentChunks = chunks.path("chunksSent").asInt();
        assertThat(sentChunks).isGreaterThan(10);
        assertThat(chunks.path("chunksHeld").asInt()).isZero();
        assertThat(chunks.path("chunksInFlight").asInt()).isEqualTo(sentChunks);
        // the satellite takes custody of every pack: the chunks were still sent, now held, none in flight
        for (String id : uplink.ids()) {
            if (id.startsWith("chunks.")) ground.linkEvents().acknowledged(uplink.send(id, uplink.queued.get(id)));
        }
        JsonNode delivered = get("/api/v1/satellites/sat-1/images").json();
        assertThat(delivered.path("chunksSent").asInt()).as("a whole image delivered was sent").isEqualTo(sentChunks);
        assertThat(delivered.path("chunksHeld").asInt()).isEqualTo(sentChunks);
        assertThat(delivered.path("chunksInFlight").asInt()).isZero();

        // v2 changes 20 KB: only the chunks around it go up, with a small manifest delta
        byte[] v2 = v1.clone();
        for (int i = 150_000; i < 170_000; i++) v2[i] ^= 0x33;
        String digest2 = Trees.readJson(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ground.apiAddress().getPort() + "/api/v1/images")).header("Authorization", "Bearer " + adminToken()).POST(HttpRequest.BodyPublishers.ofByteArray(v2)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).path("digest").asText();
        int before = uplink.ids().size();
        assertThat(call("POST", "/api/v1/satellites/sat-1/apply", app.replace(digest, digest2)).status()).isEqualTo(200);
        List<String> sent = uplink.ids().subList(before, uplink.ids().size());
        String hex2 = digest2.substring("sha256:".length());
        assertThat(sent).containsExactly("image.sat-1." + hex2, "chunks.sat-1." + hex2 + ".0", "desired.sat-1.App.hello.2");
        assertThat(uplink.queued.get("chunks.sat-1." + hex2 + ".0").payload().length).isLessThan(80_000);
        assertThat(uplink.queued.get("image.sat-1." + hex2).payload().length).isLessThan(2_000);

        // an image ground does not have is refused by field, and nothing is queued
        int n = uplink.ids().size();
        Reply bad = call("POST", "/api/v1/satellites/sat-1/apply", app.replace(digest, "sha256:" + "0".repeat(64)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("spec.image");
        assertThat(uplink.ids()).hasSize(n);
    }

    @Test
    void aPipelineWhoseStepNamesAnImageByContentGetsItUplinkedFirstAndOneGroundLacksIsRefusedByField() throws Exception {
        byte[] kernel = new byte[50_000];
        new java.util.Random(5).nextBytes(kernel);
        String digest = Trees.readJson(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + ground.apiAddress().getPort() + "/api/v1/images")).header("Authorization", "Bearer " + adminToken()).POST(HttpRequest.BodyPublishers.ofByteArray(kernel)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).path("digest").asText();
        String pipeline = Fixtures.PIPELINE.replace("/opt/k.elf", digest);
        assertThat(call("POST", "/api/v1/satellites/sat-1/apply", pipeline).status()).isEqualTo(201);
        String hex = digest.substring("sha256:".length());
        assertThat(uplink.ids()).startsWith("image.sat-1." + hex, "chunks.sat-1." + hex + ".0");
        assertThat(uplink.ids().getLast()).isEqualTo("desired.sat-1.Pipeline.scan.1");

        int n = uplink.ids().size();
        Reply bad = call("POST", "/api/v1/satellites/sat-1/apply", pipeline.replace(digest, "sha256:" + "1".repeat(64)));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("spec.steps[0].template.image");
        assertThat(uplink.ids()).hasSize(n);
    }

    @Test
    void anExpiredOrRefusedBundleIsReportedAmongTheSatellitesEvents() throws Exception {
        io.orchide.link.Bundle b = new io.orchide.link.Bundle("desired.sat-1.App.hello.1", "ground", "sat-1", "desired",
                50, T0, java.time.Duration.ofHours(1), 10, "sha256:" + "0".repeat(64));
        ground.linkEvents().expired(b);
        ground.linkEvents().rejected("sat-1", "report-9", "checksum: does not match");
        JsonNode events = get("/api/v1/satellites/sat-1/events").json().path("items");
        assertThat(events).hasSize(2);
        assertThat(events.toString()).contains("bundle/desired.sat-1.App.hello.1").contains("desired bundle expired")
                .contains("refused: checksum: does not match");
    }
}
