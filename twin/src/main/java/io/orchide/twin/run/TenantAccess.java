package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.Transfers;
import io.orchide.twin.scenario.TenantSpec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets up the scenario's tenants on ground as an operator would with {@code orchide create tenant} and {@code orchide
 * create token}: each tenant with its quota, and one developer token of its own, through ground's API as the platform
 * admin. The twin then applies each tenant's manifests with that tenant's token.
 */
final class TenantAccess {
    /** A tenant on ground, with the developer token made for it and that token's service account. */
    record Member(TenantSpec spec, String token, String principal) {
        String name() {
            return spec.name();
        }
    }

    private TenantAccess() {
    }

    /** Creates every tenant of {@code tenants} and a developer token for each, in order. */
    static List<Member> create(String groundApi, String adminToken, List<TenantSpec> tenants) {
        HttpApi admin = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken);
        List<Member> out = new ArrayList<>();
        for (TenantSpec t : tenants) {
            ObjectNode tenant = JsonNodeFactory.instance.objectNode().put("name", t.name());
            String quota = t.quota().format();
            if (!quota.isEmpty()) tenant.put("quota", quota);
            admin.post("/api/v1/tenants", tenant);
            // as long as the longest scenario: nothing the twin made outlives it by much
            JsonNode token = admin.post("/api/v1/tokens", JsonNodeFactory.instance.objectNode().put("role", "developer")
                    .put("tenant", t.name()).put("ttl", "31d"));
            out.add(new Member(t, token.path("token").asText(), token.path("principal").asText()));
        }
        return out;
    }
}
