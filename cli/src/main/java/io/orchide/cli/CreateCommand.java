package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Set;

/**
 * {@code orchide create tenant|token|rolebinding|satellite}: ground's access control, and satellites with the node keys
 * the link accepts from them. Ground checks every value and refuses
 * what the caller may not grant; this sends what was asked and prints the answer.
 */
@Command(name = "create", description = "Create on ground: a tenant, an API token (printed once), a role binding, "
        + "a satellite with its node keys.",
        subcommands = {CreateCommand.Tenant.class, CreateCommand.Token.class, CreateCommand.RoleBinding.class,
                CreateCommand.Satellite.class})
final class CreateCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("create what? create tenant NAME | create token --role ROLE | create rolebinding --principal ID --role ROLE"
                + " | create satellite NAME --node-key FILE");
    }

    /** The roles that are bound fleet-wide only: a context's default tenant does not apply to them. */
    static final Set<String> FLEET_ROLES = Set.of("platform-admin", "operator");

    /** The tenant a binding of {@code role} goes to: {@code flag}, else (for a tenant role) the context's default. */
    static String tenantFor(String role, String flag, ServerOption server) {
        return FLEET_ROLES.contains(role) ? flag : server.tenant(flag);
    }

    @Command(name = "tenant", description = "Create a tenant with its quota: create tenant NAME --quota "
            + "cpu=4,memory=2Gi,storage=20Gi,uplink=50Mi/d,apps=20,pipelines=10,images=2Gi,products=10Gi "
            + "(change it later with set quota NAME --quota ...)")
    static final class Tenant implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The tenant's name (a DNS-1123 label)")
        String name;

        @Option(names = "--quota", paramLabel = "K=V,...",
                description = "On board: cpu (vCPUs, or millicores as 500m), memory and storage (such as 2Gi). On ground: "
                        + "uplink (bytes per UTC day, such as 50Mi/d), apps and pipelines (how many), images (bytes of "
                        + "pushed images) and products (bytes of products kept)")
        String quota;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("name", Resources.name(name));
            if (quota != null) body.put("quota", quota);
            JsonNode r = server.client().post("/api/v1/tenants", body);
            String q = r.path("quota").asText("");
            System.out.println("tenant/" + r.path("name").asText() + " created" + (q.isEmpty() ? " (no quota)" : " (quota " + q + ")"));
        }
    }

    @Command(name = "token", description = "Create an API token for a new service account bound to ROLE in TENANT; "
            + "the token is printed once, ground keeps only its hash.")
    static final class Token implements Runnable {
        @Option(names = "--tenant", paramLabel = "TENANT", description = "Its tenant (default: the context's tenant, else yours if you have one; none for fleet roles)")
        String tenant;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "platform-admin, operator (fleet-wide), tenant-admin, developer or viewer")
        String role;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "How long it is valid, such as 90d or 12h (default 90d)")
        String ttl;

        @Option(names = "--name", paramLabel = "NAME", description = "A name for lists (what it is for)")
        String name;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("role", role);
            String t = tenantFor(role, tenant, server);
            if (t != null) body.put("tenant", t);
            if (ttl != null) body.put("ttl", ttl);
            if (name != null) body.put("name", name);
            JsonNode r = server.client().post("/api/v1/tokens", body);
            // the secret alone on stdout, so that $(orchide create token ...) is the token; the rest on stderr
            System.out.println(r.path("token").asText());
            System.err.println("token/" + r.path("id").asText() + " created: " + r.path("role").asText()
                    + (r.path("tenant").isNull() ? " (fleet-wide)" : " in tenant " + r.path("tenant").asText())
                    + ", expires " + (r.path("expires").isNull() ? "never" : r.path("expires").asText())
                    + ", principal " + r.path("principal").asText() + ". It is shown this once: store it now.");
        }
    }

    @Command(name = "rolebinding", description = "Bind a principal to ROLE in TENANT (fleet-wide for fleet roles).")
    static final class RoleBinding implements Runnable {
        @Option(names = "--principal", required = true, paramLabel = "ID", description = "The principal's id (orchide auth whoami, get tokens), or an OIDC user as ISSUER#SUBJECT")
        String principal;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "platform-admin, operator, tenant-admin, developer or viewer")
        String role;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Its tenant (default: the context's tenant, else yours if you have one; none for fleet roles)")
        String tenant;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("principal", principal).put("role", role);
            String t = tenantFor(role, tenant, server);
            if (t != null) body.put("tenant", t);
            JsonNode r = server.client().post("/api/v1/rolebindings", body);
            System.out.println("rolebinding/" + r.path("id").asText() + " created: " + r.path("principal").asText() + " is "
                    + r.path("role").asText() + (r.path("tenant").isNull() ? " fleet-wide" : " in tenant " + r.path("tenant").asText()));
        }
    }

    @Command(name = "satellite", description = "Register a satellite and the public key(s) of its node(s) (made by "
            + "orchide node init): ground's link accepts only a node proving one of them. Adds the keys to a satellite "
            + "that exists. Operators and platform admins.")
    static final class Satellite implements Runnable {
        @Parameters(index = "0", paramLabel = "NAME", description = "The satellite's name (a DNS-1123 label)")
        String name;

        @Option(names = "--node-key", required = true, paramLabel = "FILE",
                description = "A node's public key file (its node.pub); repeat for each node of the satellite")
        java.util.List<java.nio.file.Path> nodeKeys;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("name", Resources.name(name));
            var keys = body.putArray("nodeKeys");
            for (java.nio.file.Path p : nodeKeys) {
                try {
                    keys.add(java.nio.file.Files.readString(p));
                } catch (java.io.IOException e) {
                    throw new CliException("--node-key " + p + ": cannot be read (" + e.getMessage() + ")");
                }
            }
            JsonNode r = server.client().post("/api/v1/satellites", body);
            StringBuilder fps = new StringBuilder();
            for (JsonNode k : r.path("nodeKeys")) {
                if (fps.length() > 0) fps.append(", ");
                fps.append(k.path("fingerprint").asText()).append(k.path("state").asText().equals("revoked") ? " (revoked)" : "");
            }
            System.out.println("satellite/" + r.path("name").asText() + " created; node keys: " + fps);
        }
    }
}
