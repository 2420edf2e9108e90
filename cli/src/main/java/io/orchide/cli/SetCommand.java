package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code orchide set quota TENANT --quota K=V,...}: change a tenant's quota on ground (platform admins). */
@Command(name = "set", description = "Change something on ground: set quota TENANT --quota K=V,...",
        subcommands = {SetCommand.Quota.class})
final class SetCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("set what? set quota TENANT --quota apps=30,images=4Gi (KEY=none removes a limit)");
    }

    @Command(name = "quota", description = "Change a tenant's quota: the limits named are set, KEY=none removes one, "
            + "the others are kept (platform admins). set quota ocean-team --quota apps=30,images=4Gi,cpu=none")
    static final class Quota implements Runnable {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant")
        String tenant;

        @Option(names = "--quota", required = true, paramLabel = "K=V,...",
                description = "Limits to set, as create tenant --quota takes them; KEY=none removes that limit")
        String quota;

        @Mixin
        ServerOption server;

        @Override
        public void run() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("quota", quota);
            JsonNode r = server.client().put("/api/v1/tenants/" + Resources.name(tenant) + "/quota", body);
            String q = r.path("quota").asText("");
            System.out.println("tenant/" + r.path("name").asText() + " quota " + (q.isEmpty() ? "removed (none)" : "set: " + q));
        }
    }
}
