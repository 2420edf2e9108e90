package io.orchide.ground.auth;

import io.orchide.ground.FakeUplink;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.model.message.DesiredChange;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.orchide.ground.auth.TenantIsolationTest.names;
import static org.assertj.core.api.Assertions.assertThat;

/** Ground carries a tenant's Datasets in a satellite's desired state as it carries Apps and Pipelines. */
class DatasetDesiredTest {
    static final String SAT = "/api/v1/satellites/sat-1";

    @TempDir
    Path tmp;
    GroundServer ground;

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    static String dataset(String name, String tenant) {
        return "apiVersion: orchide.io/v1\nkind: Dataset\nmetadata: {name: " + name
                + (tenant == null ? "" : ", tenant: " + tenant) + "}\nspec:\n  quota: {bytes: 1Gi}\n";
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aTenantsDatasetGoesUpIsHiddenFromOthersAndOnlyItsTenantMayChangeOrDeleteIt(String backend) throws Exception {
        FakeUplink uplink = new FakeUplink(new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
        Path tokenFile = tmp.resolve("admin.token");
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        ground = GroundServer.start(GroundConfig.builder().dataDir(url == null ? tmp : null).dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0)).build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        Api admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}");
        admin.post("/api/v1/tenants", "{\"name\": \"fire\"}");
        Api ocean = admin.as(admin.token("ocean", "developer", "1d"));
        Api fire = admin.as(admin.token("fire", "developer", "1d"));

        Api.Reply applied = fire.post(SAT + "/apply", dataset("archive", null));
        assertThat(applied.status()).isEqualTo(201);
        assertThat(applied.json().path("items").get(0).path("kind").asText()).isEqualTo(DesiredChange.DATASET);
        String bundle = applied.json().path("items").get(0).path("bundle").asText();
        DesiredChange sent = DesiredChange.decode(uplink.queued.get(bundle).payload());
        assertThat(sent.kind()).isEqualTo(DesiredChange.DATASET);
        assertThat(sent.manifest()).contains("\"tenant\":\"fire\"");

        assertThat(names(fire.get(SAT + "/desired").json().path("items"), "name")).containsExactly("archive");
        assertThat(ocean.get(SAT + "/desired").json().path("items")).isEmpty();
        int bundles = uplink.ids().size();
        Api.Reply takeName = ocean.post(SAT + "/apply", dataset("archive", null));
        assertThat(takeName.status()).isEqualTo(403);
        assertThat(takeName.json().path("field").asText()).isEqualTo("metadata.name");
        Api.Reply into = ocean.post(SAT + "/apply", dataset("mine", "fire"));
        assertThat(into.status()).isEqualTo(403);
        assertThat(into.json().path("message").asText()).contains("datasets").contains("tenant fire");
        assertThat(ocean.delete(SAT + "/datasets/archive").status()).isEqualTo(404);
        Api.Reply reads = ocean.post(SAT + "/apply", """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: peek}
                spec:
                  triggers: [{onData: {dataset: archive}}]
                  steps: [{name: only, app: none}]
                """);
        assertThat(reads.status()).isEqualTo(403);
        assertThat(reads.json().path("field").asText()).isEqualTo("spec.triggers[0].onData.dataset");
        Api.Reply writes = ocean.post(SAT + "/apply", """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: spill}
                spec:
                  steps:
                    - name: only
                      app: none
                      outputs: [{name: junk, path: junk.bin, dataset: archive}]
                """);
        assertThat(writes.status()).isEqualTo(403);
        assertThat(writes.json().path("field").asText()).isEqualTo("spec.steps[0].outputs[0].dataset");
        assertThat(writes.json().path("errors").get(0).path("value").asText()).isEqualTo("archive");
        assertThat(uplink.ids()).as("nothing refused went up").hasSize(bundles);
        assertThat(fire.post(SAT + "/apply", """
                apiVersion: orchide.io/v1
                kind: Pipeline
                metadata: {name: scan}
                spec:
                  triggers: [{onData: {dataset: archive}}, {onData: {dataset: camera}}]
                  steps: [{name: only, app: none}]
                """).status()).as("its own dataset, and the operator's undeclared camera").isEqualTo(201);

        Api.Reply deleted = fire.delete(SAT + "/datasets/archive");
        assertThat(deleted.status()).isEqualTo(200);
        DesiredChange gone = DesiredChange.decode(uplink.queued.get(deleted.json().path("bundle").asText()).payload());
        assertThat(List.of(gone.kind(), gone.name(), gone.deleted())).containsExactly(DesiredChange.DATASET, "archive", true);
    }
}
