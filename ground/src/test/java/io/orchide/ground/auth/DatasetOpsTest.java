package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.DatasetCommand;
import io.orchide.model.message.DatasetResult;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dataset operations through ground: a tenant's operation on its dataset goes up as a command bundle, the node's
 * answer settles it and leaves the listing ground answers from at once; another tenant's dataset is answered as a
 * missing one and nothing goes up.
 */
class DatasetOpsTest {
    static final String SAT = "/api/v1/satellites/sat-1";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path tmp;
    GroundServer ground;

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aTenantsCopyGoesUpIsAnsweredByTheNodeAndTheListingIsKeptWithItsAge(String backend) throws Exception {
        MutableClock clock = new MutableClock(T0);
        FakeUplink uplink = new FakeUplink(clock);
        Path tokenFile = tmp.resolve("admin.token");
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        ground = GroundServer.start(GroundConfig.builder().dataDir(url == null ? tmp : null).dbUrl(url).clock(clock)
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        Api admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}");
        admin.post("/api/v1/tenants", "{\"name\": \"fire\"}");
        Api ocean = admin.as(admin.token("ocean", "developer", "1d"));
        Api fire = admin.as(admin.token("fire", "developer", "1d"));
        for (String name : List.of("scenes", "archive")) {
            assertThat(ocean.post(SAT + "/apply", DatasetDesiredTest.dataset(name, null)).status()).isEqualTo(201);
        }

        Api.Reply queued = ocean.post(SAT + "/dataset-ops",
                "{\"op\": \"cp\", \"dataset\": \"scenes\", \"file\": \"a.pgm\", \"to\": \"archive\"}");
        assertThat(queued.status()).isEqualTo(202);
        assertThat(queued.json().path("state").asText()).isEqualTo("queued");
        assertThat(queued.json().path("message").asText()).contains("next contact");
        long id = queued.json().path("id").asLong();
        String bundle = queued.json().path("bundle").asText();
        DatasetCommand sent = DatasetCommand.decode(uplink.queued.get(bundle).payload());
        assertThat(sent).isEqualTo(new DatasetCommand(id, "cp", "ocean", "scenes", "a.pgm", "archive", null, T0));
        assertThat(uplink.queued.get(bundle).kind()).isEqualTo(BundleKind.DATASET_COMMAND.wire());

        // another tenant's dataset is answered as a missing one, naming the field and the value; nothing goes up
        int bundles = uplink.ids().size();
        Api.Reply refused = fire.post(SAT + "/dataset-ops",
                "{\"op\": \"rm\", \"dataset\": \"scenes\", \"file\": \"a.pgm\"}");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.json().path("field").asText()).isEqualTo("dataset");
        assertThat(refused.json().path("errors").get(0).path("value").asText()).isEqualTo("scenes");
        Api.Reply badOp = ocean.post(SAT + "/dataset-ops", "{\"op\": \"chmod\", \"dataset\": \"scenes\"}");
        assertThat(badOp.status()).isEqualTo(400);
        assertThat(badOp.json().path("field").asText()).isEqualTo("op");
        assertThat(uplink.ids()).hasSize(bundles);
        assertThat(fire.get(SAT + "/dataset-ops/" + id).status()).isEqualTo(404);

        // the node answers at the contact: the operation is settled and its listing kept, delivered twice or not
        DatasetResult answer = new DatasetResult(id, "node-a", DatasetResult.DONE, "copied scenes/a.pgm to archive/a.pgm",
                T0.plusSeconds(60), List.of(
                        new DatasetResult.Listing("archive", "ocean", 1, 6, 1L << 30, null,
                                List.of(new DatasetResult.FileEntry("a.pgm", 6, T0)), false),
                        new DatasetResult.Listing("camera", "operator", 0, 0, null, null, List.of(), false)));
        byte[] payload = answer.encode();
        for (int i = 0; i < 2; i++) {
            ground.intake().deliver(Fixtures.bundle(
                    "dataset-result.sat-1.node-a." + id, "sat-1", BundleKind.DATASET_RESULT.wire(), payload, T0), payload);
        }
        clock.advance(Duration.ofMinutes(10));
        JsonNode op = ocean.get(SAT + "/dataset-ops/" + id).json();
        assertThat(op.path("state").asText()).isEqualTo("done");
        assertThat(op.path("message").asText()).isEqualTo("copied scenes/a.pgm to archive/a.pgm");
        assertThat(op.path("node").asText()).isEqualTo("node-a");

        JsonNode listing = ocean.get(SAT + "/datasets").json().path("items");
        assertThat(listing).hasSize(1); // the operator's camera is for fleet-wide roles only
        assertThat(listing.get(0).path("name").asText()).isEqualTo("archive");
        assertThat(listing.get(0).path("bytes").asLong()).isEqualTo(6);
        assertThat(listing.get(0).path("quota").path("bytes").asLong()).isEqualTo(1L << 30);
        assertThat(listing.get(0).path("ageSeconds").asLong()).isEqualTo(540);
        JsonNode files = ocean.get(SAT + "/datasets/archive/files").json();
        assertThat(files.path("items").get(0).path("items").get(0).path("name").asText()).isEqualTo("a.pgm");
        assertThat(fire.get(SAT + "/datasets").json().path("items")).isEmpty();
        assertThat(fire.get(SAT + "/datasets/archive/files").status()).isEqualTo(404);
        assertThat(admin.get(SAT + "/datasets").json().path("items")).hasSize(2);
        assertThat(fire.get(SAT + "/dataset-ops").json().path("items")).isEmpty();
        assertThat(ocean.get(SAT + "/dataset-ops").json().path("items")).hasSize(1);

        // a get brings the file's bytes down in the node's answer, for its tenant only
        Api.Reply get = ocean.post(SAT + "/dataset-ops", "{\"op\": \"get\", \"dataset\": \"archive\", \"file\": \"a.pgm\"}");
        assertThat(get.status()).isEqualTo(202);
        long getId = get.json().path("id").asLong();
        assertThat(ocean.get(SAT + "/dataset-ops/" + getId + "/content").status()).isEqualTo(404);
        byte[] got = new DatasetResult(getId, "node-a", DatasetResult.DONE, "brought down archive/a.pgm (3 bytes)",
                T0.plusSeconds(120), List.of(), new byte[] {1, 2, 3}).encode();
        ground.intake().deliver(Fixtures.bundle("dataset-result.sat-1.node-a." + getId, "sat-1",
                BundleKind.DATASET_RESULT.wire(), got, T0), got);
        assertThat(ocean.get(SAT + "/dataset-ops/" + getId).json().path("content").asText())
                .isEqualTo("/api/v1/satellites/sat-1/dataset-ops/" + getId + "/content");
        assertThat(ocean.get(SAT + "/dataset-ops/" + getId + "/content").raw()).containsExactly(1, 2, 3);
        assertThat(fire.get(SAT + "/dataset-ops/" + getId + "/content").status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aPutSendsTheTenantsPushedImageUpWithItsCommandAndALargeGetsFileIsKeptWhicheverComesFirst(String backend)
            throws Exception {
        MutableClock clock = new MutableClock(T0);
        FakeUplink uplink = new FakeUplink(clock);
        Path tokenFile = tmp.resolve("admin.token");
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        ground = GroundServer.start(GroundConfig.builder().dataDir(url == null ? tmp : null).dbUrl(url).clock(clock)
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        Api admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}");
        admin.post("/api/v1/tenants", "{\"name\": \"fire\"}");
        Api ocean = admin.as(admin.token("ocean", "developer", "1d"));
        Api fire = admin.as(admin.token("fire", "developer", "1d"));
        assertThat(ocean.post(SAT + "/apply", DatasetDesiredTest.dataset("scenes", null)).status()).isEqualTo(201);
        Api.Reply pushed = ocean.post("/api/v1/images?tenant=ocean", "P5 2 1 255 ab");
        assertThat(pushed.status()).isEqualTo(201);
        String digest = pushed.json().path("digest").asText();

        assertThat(fire.post(SAT + "/apply", DatasetDesiredTest.dataset("burnt", null)).status()).isEqualTo(201);

        // fire may not write ocean's dataset, and did not push ocean's file: refused naming the field; nothing goes up
        int bundles = uplink.ids().size();
        Api.Reply intoOcean = fire.post(SAT + "/dataset-ops", "{\"op\": \"put\", \"dataset\": \"scenes\", "
                + "\"file\": \"a.pgm\", \"content\": \"" + digest + "\"}");
        assertThat(intoOcean.status()).isEqualTo(404);
        assertThat(intoOcean.json().path("field").asText()).isEqualTo("dataset");
        Api.Reply othersImage = fire.post(SAT + "/dataset-ops", "{\"op\": \"put\", \"dataset\": \"burnt\", "
                + "\"file\": \"a.pgm\", \"content\": \"" + digest + "\"}");
        assertThat(othersImage.status()).isEqualTo(400);
        assertThat(othersImage.json().path("field").asText()).isEqualTo("content");
        Api.Reply noContent = ocean.post(SAT + "/dataset-ops", "{\"op\": \"put\", \"dataset\": \"scenes\", "
                + "\"file\": \"a.pgm\"}");
        assertThat(noContent.status()).isEqualTo(400);
        assertThat(noContent.json().path("field").asText()).isEqualTo("content");
        assertThat(uplink.ids()).hasSize(bundles);

        Api.Reply put = ocean.post(SAT + "/dataset-ops", "{\"op\": \"put\", \"dataset\": \"scenes\", "
                + "\"file\": \"a.pgm\", \"content\": \"" + digest + "\"}");
        assertThat(put.status()).isEqualTo(202);
        assertThat(put.json().path("upload").asText()).isEqualTo(digest);
        assertThat(put.json().path("bytes").asLong()).isEqualTo(13);
        DatasetCommand sent = DatasetCommand.decode(uplink.queued.get(put.json().path("bundle").asText()).payload());
        assertThat(sent.content()).isEqualTo(digest);
        assertThat(sent.bytes()).isEqualTo(13L);
        assertThat(sent.by()).isNotEmpty();
        String hex = digest.substring("sha256:".length());
        assertThat(uplink.ids()).contains("image.sat-1." + hex, "chunks.sat-1." + hex + ".0");

        // a get over 1 MiB: its file may come before the answer; neither overwrites what the other brought
        long getId = ocean.post(SAT + "/dataset-ops", "{\"op\": \"get\", \"dataset\": \"scenes\", "
                + "\"file\": \"big.pgm\"}").json().path("id").asLong();
        byte[] big = new byte[DatasetResult.MAX_CONTENT + 5];
        big[7] = 7;
        byte[] file = new io.orchide.model.message.DatasetFile(new io.orchide.model.message.DatasetFile.Header(getId,
                "node-a", "scenes", "big.pgm", big.length, io.orchide.model.message.ProductPayload.sha256(big)), big)
                .encode();
        ground.intake().deliver(Fixtures.bundle("dataset-file.sat-1.node-a." + getId, "sat-1",
                BundleKind.DATASET_FILE.wire(), file, T0), file);
        byte[] answer = new DatasetResult(getId, "node-a", DatasetResult.DONE, "coming down", T0.plusSeconds(1),
                List.of(), null, (long) big.length).encode();
        ground.intake().deliver(Fixtures.bundle("dataset-result.sat-1.node-a." + getId, "sat-1",
                BundleKind.DATASET_RESULT.wire(), answer, T0), answer);
        JsonNode op = ocean.get(SAT + "/dataset-ops/" + getId).json();
        assertThat(op.path("downlink").path("state").asText()).isEqualTo("arrived");
        assertThat(op.path("downlink").path("bytes").asLong()).isEqualTo(big.length);
        assertThat(ocean.get(SAT + "/dataset-ops/" + getId + "/content").raw()).isEqualTo(big);
    }
}
