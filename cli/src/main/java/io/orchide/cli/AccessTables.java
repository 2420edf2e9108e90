package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** The tables of ground's access control: tenants, API tokens (never their secrets) and role bindings. */
final class AccessTables {
    private AccessTables() {
    }

    /** NAME QUOTA CREATED. */
    static Table tenants(JsonNode items) {
        Table t = new Table("NAME", "QUOTA", "CREATED");
        for (JsonNode n : items) {
            String q = n.path("quota").asText("");
            t.row(n.path("name").asText(), q.isEmpty() ? "-" : q, Table.text(n.path("created")));
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
