package io.orchide.ground.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.ground.audit.AuditQuery;
import io.orchide.model.message.DesiredChange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.orchide.ground.auth.TenantIsolationTest.names;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ground carries DeviceGrants in a satellite's desired state: given, changed and withdrawn only by fleet-wide roles
 * (operator, platform admin), read by the tenant they name, each decision audited, bad ones refused naming the field.
 */
class DeviceGrantDesiredTest extends TwoTenantGround {
    @Override
    String oceanTenant() {
        return "{\"name\": \"ocean\", \"quota\": \"uplink=1Ki/d\"}";
    }

    static String grant(String name, String tenant, String verbs) {
        return "apiVersion: orchide.io/v1\nkind: DeviceGrant\nmetadata: {name: " + name
                + (tenant == null ? "" : ", tenant: " + tenant) + "}\nspec: {device: camera-1, apps: [probe], verbs: ["
                + verbs + "], quota: {perOrbit: 40}}\n";
    }

    @Test
    void anOperatorsGrantGoesUpAsDesiredStateAndItsTenantSeesIt() throws Exception {
        Api.Reply applied = operator.post(SAT + "/apply", grant("ocean-camera", "ocean", "capture"));
        assertThat(applied.status()).as("%s", applied.json()).isEqualTo(201);
        JsonNode item = applied.json().path("items").get(0);
        assertThat(item.path("kind").asText()).isEqualTo(DesiredChange.DEVICE_GRANT);
        DesiredChange sent = DesiredChange.decode(uplink.queued.get(item.path("bundle").asText()).payload());
        assertThat(List.of(sent.kind(), sent.name(), sent.generation())).containsExactly("DeviceGrant", "ocean-camera", 1);
        assertThat(sent.manifest()).contains("\"tenant\":\"ocean\"").contains("\"perOrbit\":40");
        assertThat(operator.post(SAT + "/apply", grant("ocean-camera", "ocean", "capture")).json().path("items").get(0)
                .path("result").asText()).as("the same grant again changes nothing").isEqualTo("unchanged");
        Api.Reply changed = admin.post(SAT + "/apply", grant("ocean-camera", "ocean", "capture, read"));
        assertThat(changed.status()).as("a platform admin may too").isEqualTo(200);
        assertThat(changed.json().path("items").get(0).path("generation").asInt()).isEqualTo(2);

        assertThat(names(operator.get(SAT + "/desired").json().path("items"), "name")).containsExactly("ocean-camera");
        JsonNode seen = ocean.get(SAT + "/desired").json().path("items");
        assertThat(names(seen, "name")).as("the tenant a grant names reads it").containsExactly("ocean-camera");
        assertThat(seen.get(0).path("manifest").path("spec").path("verbs").toString()).contains("capture", "read");
        assertThat(fire.get(SAT + "/desired").json().path("items")).as("another tenant does not").isEmpty();

        assertThat(ground.audit().query(AuditQuery.all(50)).stream().map(r -> r.entry())
                .filter(e -> e.resource().equals("devicegrants/ocean-camera") && e.verb().equals("create")))
                .as("each apply is audited, naming the tenant it grants to").isNotEmpty()
                .allSatisfy(e -> assertThat(e.tenant()).isEqualTo("ocean"));

        Api.Reply deleted = operator.delete(SAT + "/devicegrants/ocean-camera");
        assertThat(deleted.status()).isEqualTo(200);
        DesiredChange gone = DesiredChange.decode(uplink.queued.get(deleted.json().path("bundle").asText()).payload());
        assertThat(List.of(gone.kind(), gone.name(), gone.deleted())).containsExactly("DeviceGrant", "ocean-camera", true);
        assertThat(ocean.get(SAT + "/desired").json().path("items")).isEmpty();
    }

    @Test
    void aTenantsOwnRolesNeitherGiveNorWithdrawAGrantAndTheRefusalNamesTheRoleNeeded() throws Exception {
        for (Api tenantUser : List.of(ocean, oceanAdmin)) {
            Api.Reply refused = tenantUser.post(SAT + "/apply", grant("ocean-camera", null, "capture"));
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("forbidden");
            assertThat(refused.json().path("message").asText()).contains("create devicegrants in tenant ocean")
                    .contains("device grants are given by role platform-admin or operator");
            assertThat(refused.json().path("field").asText()).isEqualTo("kind");
        }
        assertThat(uplink.ids()).as("nothing refused went up").isEmpty();
        assertThat(ground.audit().query(AuditQuery.all(50)).stream().map(r -> r.entry())
                .filter(e -> e.resource().equals("devicegrants/ocean-camera")))
                .as("both refusals are in the audit log").hasSize(2)
                .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(io.orchide.ground.audit.Outcome.DENIED));

        assertThat(operator.post(SAT + "/apply", grant("ocean-camera", "ocean", "capture")).status()).isEqualTo(201);
        Api.Reply withdraw = oceanAdmin.delete(SAT + "/devicegrants/ocean-camera");
        assertThat(withdraw.status()).isEqualTo(403);
        assertThat(withdraw.json().path("message").asText()).contains("platform-admin or operator");
        assertThat(fire.delete(SAT + "/devicegrants/ocean-camera").status())
                .as("another tenant's grant is answered as a missing one").isEqualTo(404);
        assertThat(names(operator.get(SAT + "/desired").json().path("items"), "name")).containsExactly("ocean-camera");
    }

    @Test
    void aBadGrantIsRefusedNamingTheFieldAndValueAndNothingChanges() throws Exception {
        Api.Reply unknownVerb = operator.post(SAT + "/apply", grant("ocean-camera", "ocean", "fly"));
        assertThat(unknownVerb.status()).isEqualTo(400);
        assertThat(errors(unknownVerb)).anySatisfy(e -> {
            assertThat(e.path("field").asText()).isEqualTo("spec.verbs[0]");
            assertThat(e.path("value").asText()).contains("fly");
        });
        Api.Reply nobody = operator.post(SAT + "/apply", grant("ocean-camera", "oceans", "capture"));
        assertThat(nobody.status()).isEqualTo(400);
        assertThat(nobody.json().path("field").asText()).isEqualTo("metadata.tenant");
        assertThat(errors(nobody).getFirst().path("value").asText()).isEqualTo("oceans");
        Api.Reply batch = admin.post(SAT + "/apply", TenantIsolationTest.app("probe", "ocean", "/opt/p.elf")
                + "---\n" + grant("ocean-camera", "ocaen", "capture"));
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.json().path("field").asText()).isEqualTo("[1].metadata.tenant");
        assertThat(errors(batch).getFirst().path("value").asText()).isEqualTo("ocaen");
        assertThat(uplink.ids()).as("nothing went up").isEmpty();
        assertThat(operator.get(SAT + "/desired").json().path("items")).isEmpty();
    }

    @Test
    void aGrantIsNotChargedToTheUplinkQuotaOfTheTenantItNames() throws Exception {
        // ocean's uplink quota is 1 KiB a day: two grants of about 400 bytes each would pass it
        for (String name : List.of("cam-a", "cam-b", "cam-c")) {
            Api.Reply r = operator.post(SAT + "/apply", grant(name, "ocean", "capture"));
            assertThat(r.status()).as("%s: %s", name, r.json()).isEqualTo(201);
        }
        assertThat(admin.get("/api/v1/tenants/ocean").json().path("usage").path("uplink").path("used").asLong()).isZero();
    }

    private static List<JsonNode> errors(Api.Reply r) {
        List<JsonNode> out = new ArrayList<>();
        r.json().path("errors").forEach(out::add);
        return out;
    }
}
