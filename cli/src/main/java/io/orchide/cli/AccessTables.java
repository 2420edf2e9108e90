package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The tables of ground's access control: tenants, API tokens (never their secrets) and role bindings. */
final class AccessTables {
    private AccessTables() {
    }

    /** NAME QUOTA, then each ground quota's use ({@code used/limit}), CREATED. */
    static Table tenants(JsonNode items) {
        List<String> head = new ArrayList<>(List.of("NAME", "QUOTA"));
        head.addAll(TenantQuota.TITLES);
        head.add("CREATED");
        Table t = new Table(head.toArray(String[]::new));
        for (JsonNode n : items) {
            String q = n.path("quota").asText("");
            List<String> row = new ArrayList<>(List.of(n.path("name").asText(), q.isEmpty() ? "-" : q));
            for (String k : TenantQuota.KEYS) row.add(TenantQuota.cell(n.path("usage"), k));
            row.add(Table.text(n.path("created")));
            t.row(row.toArray(String[]::new));
        }
        return t;
    }

    /** ID NAME ROLE TENANT EXPIRES LAST USED; a revoked one (listed with {@code ?revoked=true}) says so. */
    static Table tokens(JsonNode items, Instant now) {
        Table t = new Table("ID", "NAME", "ROLE", "TENANT", "EXPIRES", "LAST USED");
        for (JsonNode n : items) {
            String expires = n.path("expires").isNull() ? "never" : n.path("expires").asText();
            if (!n.path("revoked").isNull()) expires = "revoked " + n.path("revoked").asText();
            String used = n.path("lastUsed").isNull() ? "never" : Table.age(n.path("lastUsed"), now) + " ago";
            t.row(n.path("id").asText(), Table.text(n.path("name")), n.path("role").asText(),
                    n.path("tenant").isNull() ? "(fleet)" : n.path("tenant").asText(), expires, used);
        }
        return t;
    }

    /** ID PRINCIPAL ROLE TENANT AGE. */
    static Table bindings(JsonNode items, Instant now) {
        Table t = new Table("ID", "PRINCIPAL", "ROLE", "TENANT", "AGE");
        for (JsonNode n : items) {
            t.row(n.path("id").asText(), n.path("principal").asText(), n.path("role").asText(),
                    n.path("tenant").isNull() ? "(fleet)" : n.path("tenant").asText(), Table.age(n.path("created"), now));
        }
        return t;
    }
}
