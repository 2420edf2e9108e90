package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.FakeUplink;
import io.orchide.ground.Fixtures;
import io.orchide.ground.GroundConfig;
import io.orchide.ground.GroundServer;
import io.orchide.model.message.BundleKind;
import io.orchide.model.message.ProductPayload;
import io.orchide.model.message.StatusReport;
import io.orchide.testkit.MutableClock;
import io.orchide.testkit.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant isolation over real HTTP, in the manner of the Kubernetes multi-tenancy benchmarks: a developer of tenant
 * ocean against tenant fire's objects on every route that reaches one, on SQLite and on PostgreSQL. Refused, answered
 * as if fire's objects did not exist, and never listed.
 */
class TenantIsolationTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String SAT = "/api/v1/satellites/sat-1";

    @TempDir
    Path tmp;
    GroundServer ground;
    FakeUplink uplink;
    Api admin, ocean, fire;
    String fireImage;
    long fireProduct;

    @AfterEach
    void stop() {
        if (ground != null) ground.close();
    }

    static String app(String name, String tenant, String image) {
        return "apiVersion: orchide.io/v1\nkind: App\nmetadata: {name: " + name + (tenant == null ? "" : ", tenant: " + tenant)
                + "}\nspec:\n  image: " + image + "\n  runtime: {family: multiboot, monitor: qemu, arch: x86_64}\n";
    }

    static String pipeline(String name, String stepApp) {
        return "apiVersion: orchide.io/v1\nkind: Pipeline\nmetadata: {name: " + name + "}\nspec:\n  steps:\n"
                + "    - name: only\n      app: " + stepApp + "\n";
    }

    void start(String backend) throws Exception {
        MutableClock clock = new MutableClock(T0);
        uplink = new FakeUplink(clock);
        String url = backend.equals("sqlite") ? null : TestPostgres.newDatabase();
        Path tokenFile = tmp.resolve("admin.token");
        ground = GroundServer.start(GroundConfig.builder()
                .dataDir(url == null ? tmp : null)
                .dbUrl(url)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(clock)
                .build().withAuth(new AuthSettings(tokenFile, false)), uplink);
        admin = new Api(ground.apiAddress().getPort(), Files.readString(tokenFile).strip());
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"ocean\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/tenants", "{\"name\": \"fire\", \"quota\": \"cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d\"}")
                .status()).isEqualTo(201);
        ocean = admin.as(admin.token("ocean", "developer", "1d"));
        fire = admin.as(admin.token("fire", "developer", "1d"));

        byte[] kernel = new byte[4096];
        new Random(5).nextBytes(kernel);
        Api.Reply pushed = fire.send("POST", "/api/v1/images", HttpRequest.BodyPublishers.ofByteArray(kernel), null);
        assertThat(pushed.status()).isEqualTo(201);
        fireImage = pushed.json().path("digest").asText();
        assertThat(fire.post(SAT + "/apply", app("fire-app", null, "/opt/fire.elf") + "---\n" + pipeline("fire-scan", "fire-app"))
                .status()).isEqualTo(201);
        assertThat(ocean.post(SAT + "/apply", app("ocean-app", null, "/opt/ocean.elf")).status()).isEqualTo(201);

        StatusReport report = new StatusReport(T0, "n1", List.of(
                new StatusReport.Workload("fire-app", "running", T0, 0, null),
                new StatusReport.Workload("ocean-app", "running", T0, 0, null),
                new StatusReport.Workload("fire-scan-000001-only", "running", T0, 0, null)),
                List.of(new StatusReport.Run("fire-scan-000001", "fire-scan", "running", T0, null)),
                List.of(new StatusReport.Event(T0, "App/fire-app", "generation 1 applied"),
                        new StatusReport.Event(T0, "App/ocean-app", "generation 1 applied"),
                        new StatusReport.Event(T0, "link", "session refused by ground")),
                List.of(new StatusReport.LogExcerpt("fire-app", T0, List.of("fire secret line")),
                        new StatusReport.LogExcerpt("ocean-app", T0, List.of("ocean line"))));
        byte[] b = report.encode();
        ground.intake().deliver(Fixtures.bundle("report.sat-1.1", "sat-1", BundleKind.REPORT.wire(), b, T0), b);
        byte[] content = Fixtures.bytes("{\"ships\": 3}");
        byte[] payload = new ProductPayload(new ProductPayload.Header(7, "fire-scan-000001", "only", null, "count.json",
                content.length, ProductPayload.sha256(content), 80, T0, T0.plus(Duration.ofDays(7)),
                "{\"pipeline\": \"fire-scan\", \"run\": \"fire-scan-000001\", \"step\": \"only\", \"output\": \"count\"}"),
                content).encode();
        ground.intake().deliver(Fixtures.bundle("product.sat-1.n1.7", "sat-1", BundleKind.PRODUCT.wire(), payload, T0), payload);
        fireProduct = fire.get("/api/v1/products").json().path("items").get(0).path("id").asLong();
    }

    static List<String> names(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aDeveloperOfOneTenantNeitherSeesNorTouchesAnotherTenantsObjects(String backend) throws Exception {
        start(backend);
        int bundles = uplink.ids().size();

        // lists show ocean's objects only
        assertThat(names(ocean.get(SAT + "/desired").json().path("items"), "name")).containsExactly("ocean-app");
        assertThat(names(ocean.get(SAT + "/workloads").json().path("items"), "name")).containsExactly("ocean-app");
        assertThat(ocean.get(SAT + "/runs").json().path("items")).isEmpty();
        assertThat(names(ocean.get(SAT + "/events").json().path("items"), "subject")).containsExactly("App/ocean-app");
        assertThat(names(ocean.get(SAT + "/logs").json().path("items"), "workload")).containsExactly("ocean-app");
        assertThat(ocean.get("/api/v1/products").json().path("items")).isEmpty();
        assertThat(ocean.get("/api/v1/products?satellite=sat-1&run=fire-scan-000001").json().path("items")).isEmpty();
        assertThat(ocean.get("/api/v1/images").json().path("items")).isEmpty();
        assertThat(names(ocean.get("/api/v1/tenants").json().path("items"), "name")).containsExactly("ocean");

        // fire sees its own, the satellite-wide event of the link neither
        assertThat(names(fire.get(SAT + "/desired").json().path("items"), "name")).containsExactly("fire-app", "fire-scan");
        assertThat(names(fire.get(SAT + "/workloads").json().path("items"), "name"))
                .containsExactlyInAnyOrder("fire-app", "fire-scan-000001-only");
        assertThat(names(fire.get(SAT + "/runs").json().path("items"), "name")).containsExactly("fire-scan-000001");
        assertThat(names(fire.get(SAT + "/events").json().path("items"), "subject")).containsExactly("App/fire-app");
        assertThat(names(fire.get("/api/v1/images").json().path("items"), "digest")).containsExactly(fireImage);
        // the platform admin sees the fleet
        assertThat(admin.get(SAT + "/workloads").json().path("items")).hasSize(3);
        assertThat(admin.get(SAT + "/events").json().path("items")).hasSize(3);

        // one of fire's objects by name or id answers as a missing one, word for word but for the name
        Api.Reply product = ocean.get("/api/v1/products/" + fireProduct);
        Api.Reply noProduct = ocean.get("/api/v1/products/999999");
        assertThat(product.status()).isEqualTo(404);
        assertThat(product.json().path("message").asText().replace(Long.toString(fireProduct), "N"))
                .isEqualTo(noProduct.json().path("message").asText().replace("999999", "N"));
        assertThat(ocean.get("/api/v1/products/" + fireProduct + "/content").status()).isEqualTo(404);
        assertThat(fire.get("/api/v1/products/" + fireProduct + "/content").status()).isEqualTo(200);
        Api.Reply del = ocean.delete(SAT + "/apps/fire-app");
        Api.Reply noApp = ocean.delete(SAT + "/apps/no-app");
        assertThat(del.status()).isEqualTo(404);
        assertThat(del.json().path("message").asText().replace("fire-app", "X"))
                .isEqualTo(noApp.json().path("message").asText().replace("no-app", "X"));
        assertThat(ocean.delete(SAT + "/pipelines/fire-scan").status()).isEqualTo(404);
        Api.Reply tenant = ocean.get("/api/v1/tenants/fire");
        assertThat(tenant.status()).isEqualTo(404);
        assertThat(ocean.get("/api/v1/tenants/none").json().path("message").asText().replace("none", "fire"))
                .isEqualTo(tenant.json().path("message").asText());

        // writes into fire refused, naming only what ocean asked
        Api.Reply into = ocean.post(SAT + "/apply", app("sneaky", "fire", "/opt/x.elf"));
        assertThat(into.status()).isEqualTo(403);
        assertThat(into.code()).isEqualTo("forbidden");
        assertThat(into.json().path("message").asText()).contains("create").contains("apps").contains("tenant fire");
        Api.Reply takeName = ocean.post(SAT + "/apply", app("fire-app", null, "/opt/x.elf"));
        assertThat(takeName.status()).isEqualTo(403);
        assertThat(takeName.json().path("field").asText()).isEqualTo("metadata.name");
        Api.Reply step = ocean.post(SAT + "/apply", pipeline("ocean-scan", "fire-app"));
        assertThat(step.status()).isEqualTo(403);
        assertThat(step.json().path("field").asText()).isEqualTo("spec.steps[0].app");
        Api.Reply image = ocean.post(SAT + "/apply", app("ocean-two", null, fireImage));
        Api.Reply unknownImage = ocean.post(SAT + "/apply", app("ocean-two", null, "sha256:" + "0".repeat(64)));
        assertThat(image.status()).isEqualTo(400);
        assertThat(image.json().path("errors").get(0).path("message").asText())
                .isEqualTo(unknownImage.json().path("errors").get(0).path("message").asText());
        assertThat(ocean.post(SAT + "/events", "{\"name\": \"go\", \"tenant\": \"fire\"}").status()).isEqualTo(403);
        assertThat(uplink.ids()).as("nothing refused went up").hasSize(bundles);
        assertThat(fire.get(SAT + "/desired").json().path("items").get(0).path("generation").asInt()).isEqualTo(1);

        // what is the fleet's or the admins' is refused outright
        for (String path : List.of("/api/v1/link", "/api/v1/tokens", "/api/v1/rolebindings")) {
            Api.Reply r = ocean.get(path);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.code()).isEqualTo("forbidden");
        }
        assertThat(ocean.post("/api/v1/link", "{\"open\": true}").status()).isEqualTo(403);
        assertThat(ocean.post("/api/v1/tenants", "{\"name\": \"mine\"}").status()).isEqualTo(403);
        // and what is ocean's own works
        assertThat(ocean.get("/api/v1/satellites").status()).isEqualTo(200);
        assertThat(ocean.post(SAT + "/events", "{\"name\": \"go\"}").status()).isEqualTo(202);
        assertThat(ocean.delete(SAT + "/apps/ocean-app").status()).isEqualTo(200);
    }
}
