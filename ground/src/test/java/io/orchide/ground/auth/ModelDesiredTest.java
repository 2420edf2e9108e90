package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.audit.AuditQuery;
import io.orchide.ground.audit.Outcome;
import io.orchide.model.message.BundleIds;
import io.orchide.model.message.DesiredChange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.orchide.ground.auth.TenantIsolationTest.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground carries Models in a satellite's desired state: allowed, changed and withdrawn only by fleet-wide roles
 * (operator, platform admin), read by the tenant they belong to, each decision audited; the model's file, pushed to
 * ground by its tenant, goes up ahead of the Model; bad ones are refused naming the field and change nothing.
 */
class ModelDesiredTest extends TwoTenantGround {
    String digest;

    @BeforeEach
    void pushTheModelsFile() throws Exception {
        Api.Reply pushed = ocean.post("/api/v1/images?tenant=ocean", "an onnx model's bytes, for the test");
        assertThat(pushed.status()).as("%s", pushed.json()).isEqualTo(201);
        digest = pushed.json().path("digest").asText();
    }

    static String model(String name, String tenant, String digest, String accelerators) {
        return "apiVersion: orchide.io/v1\nkind: Model\nmetadata: {name: " + name
                + (tenant == null ? "" : ", tenant: " + tenant) + "}\nspec: {digest: \"" + digest
                + "\", version: \"1\", accelerators: [" + accelerators + "]}\n";
    }

    @Test
    void anOperatorsModelGoesUpAfterItsFileAndItsTenantSeesIt() throws Exception {
        Api.Reply applied = operator.post(SAT + "/apply", model("ship-detector", "ocean", digest, "gpu"));
        assertThat(applied.status()).as("%s", applied.json()).isEqualTo(201);
        JsonNode item = applied.json().path("items").get(0);
        assertThat(item.path("kind").asText()).isEqualTo(DesiredChange.MODEL);
        String bundle = item.path("bundle").asText();
        DesiredChange sent = DesiredChange.decode(uplink.queued.get(bundle).payload());
        assertThat(List.of(sent.kind(), sent.name(), sent.generation())).containsExactly("Model", "ship-detector", 1);
        assertThat(sent.manifest()).contains("\"tenant\":\"ocean\"").contains(digest);
        List<String> ids = uplink.ids();
        String hex = digest.substring("sha256:".length());
        assertThat(ids).as("the file goes up ahead of the Model that names it")
                .contains(BundleIds.imageManifest("sat-1", hex));
        assertThat(ids.indexOf(BundleIds.imageManifest("sat-1", hex))).isLessThan(ids.indexOf(bundle));

        Api.Reply changed = admin.post(SAT + "/apply", model("ship-detector", "ocean", digest, "gpu, cpu"));
        assertThat(changed.status()).as("a platform admin may too").isEqualTo(200);
        assertThat(changed.json().path("items").get(0).path("generation").asInt()).isEqualTo(2);

        JsonNode seen = ocean.get(SAT + "/desired").json().path("items");
        assertThat(names(seen, "name")).as("the tenant a model belongs to reads it").containsExactly("ship-detector");
        assertThat(seen.get(0).path("manifest").path("spec").path("accelerators").toString()).contains("gpu", "cpu");
        assertThat(fire.get(SAT + "/desired").json().path("items")).as("another tenant does not").isEmpty();
        assertThat(ground.audit().query(AuditQuery.all(50)).stream().map(r -> r.entry())
                .filter(e -> e.resource().equals("models/ship-detector") && e.verb().equals("create")))
                .as("each apply is audited, naming the model's tenant").isNotEmpty()
                .allSatisfy(e -> assertThat(List.of(e.tenant(), e.outcome())).containsExactly("ocean", Outcome.ALLOWED));

        Api.Reply deleted = operator.delete(SAT + "/models/ship-detector");
        assertThat(deleted.status()).isEqualTo(200);
        DesiredChange gone = DesiredChange.decode(uplink.queued.get(deleted.json().path("bundle").asText()).payload());
        assertThat(List.of(gone.kind(), gone.name(), gone.deleted())).containsExactly("Model", "ship-detector", true);
        assertThat(ocean.get(SAT + "/desired").json().path("items")).isEmpty();
    }

    @Test
    void aTenantsOwnRolesNeitherAllowNorWithdrawAModelAndTheRefusalNamesTheRolesThatMay() throws Exception {
        for (Api tenantUser : List.of(ocean, oceanAdmin)) {
            Api.Reply refused = tenantUser.post(SAT + "/apply", model("ship-detector", null, digest, "gpu"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("forbidden");
            assertThat(refused.json().path("message").asText()).contains("create models in tenant ocean")
                    .contains("models are allowed on board by role platform-admin or operator");
            assertThat(refused.json().path("field").asText()).isEqualTo("kind");
        }
        assertThat(uplink.ids()).as("nothing refused went up, not even the file").isEmpty();
        assertThat(ground.audit().query(AuditQuery.all(50)).stream().map(r -> r.entry())
                .filter(e -> e.resource().equals("models/ship-detector")))
                .as("both refusals are in the audit log").hasSize(2)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(Outcome.DENIED));

        assertThat(operator.post(SAT + "/apply", model("ship-detector", "ocean", digest, "gpu")).status()).isEqualTo(201);
        Api.Reply withdraw = oceanAdmin.delete(SAT + "/models/ship-detector");
        assertThat(withdraw.status()).isEqualTo(403);
        assertThat(withdraw.json().path("message").asText()).contains("platform-admin or operator");
        assertThat(fire.delete(SAT + "/models/ship-detector").status())
                .as("another tenant's model is answered as a missing one").isEqualTo(404);
        assertThat(names(operator.get(SAT + "/desired").json().path("items"), "name")).containsExactly("ship-detector");
    }

    @Test
    void aBadModelIsRefusedNamingTheFieldAndValueAndNothingChanges() throws Exception {
        Api.Reply badDigest = operator.post(SAT + "/apply", model("ship-detector", "ocean", "sha256:12", "gpu"));
        assertThat(badDigest.status()).isEqualTo(400);
        assertThat(errorFields(badDigest)).contains("spec.digest");

        String absent = "sha256:" + "ab".repeat(32);
        Api.Reply noFile = operator.post(SAT + "/apply", model("ship-detector", "ocean", absent, "gpu"));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.json().path("field").asText()).isEqualTo("spec.digest");
        assertThat(noFile.json().path("message").asText()).contains("push it first");

        Api.Reply othersFile = operator.post(SAT + "/apply", model("ship-detector", "fire", digest, "gpu"));
        assertThat(othersFile.status()).as("a file fire did not push is not fire's model").isEqualTo(400);
        assertThat(othersFile.json().path("field").asText()).isEqualTo("spec.digest");

        Api.Reply nobody = operator.post(SAT + "/apply", model("ship-detector", "oceans", digest, "gpu"));
        assertThat(nobody.status()).isEqualTo(400);
        assertThat(nobody.json().path("field").asText()).isEqualTo("metadata.tenant");
        assertThat(nobody.json().path("errors").get(0).path("value").asText()).isEqualTo("oceans");

        Api.Reply listed = operator.post(SAT + "/apply", "apiVersion: orchide.io/v1\nkind: Model\nmetadata: "
                + "{name: ship-detector, tenant: ocean}\nspec: {digest: \"" + digest + "\", version: \"1\", "
                + "tenants: [ocean, fier], accelerators: [gpu]}\n");
        assertThat(listed.status()).isEqualTo(400);
        assertThat(listed.json().path("field").asText()).isEqualTo("spec.tenants[1]");
        assertThat(listed.json().path("errors").get(0).path("value").asText()).isEqualTo("fier");

        assertThat(uplink.ids()).as("nothing went up").isEmpty();
        assertThat(operator.get(SAT + "/desired").json().path("items")).isEmpty();
    }

    private static List<String> errorFields(Api.Reply r) {
        List<String> out = new java.util.ArrayList<>();
        r.json().path("errors").forEach(e -> out.add(e.path("field").asText()));
        return out;
    }
}
