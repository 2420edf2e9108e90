package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code orchide auth whoami|can-i}: who ground takes the caller for, and whether it may do something. */
@Command(name = "auth", description = "Ask ground who you are (whoami) and what you may do (can-i).",
        subcommands = {AuthCommand.WhoAmI.class, AuthCommand.CanI.class})
final class AuthCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("auth what? auth whoami | auth can-i VERB RESOURCE [--tenant T]");
    }

    @Command(name = "whoami", description = "Who ground takes your token for: principal, token and role bindings.")
    static final class WhoAmI implements Runnable {
        @Mixin
        ServerOption server;

        @Mixin
        OutputOption output;

        @Override
        public void run() {
            JsonNode me = server.client().get("/api/v1/auth/whoami");
            if (output.json()) {
                Printer.json(System.out, me);
                return;
            }
            System.out.println(me.path("kind").asText() + " " + me.path("id").asText()
                    + (me.path("name").asText().equals(me.path("id").asText()) ? "" : " (" + me.path("name").asText() + ")")
                    + (me.path("token").isTextual() ? ", token " + me.path("token").asText() : ""));
            for (JsonNode b : me.path("bindings")) {
                System.out.println("  " + b.path("role").asText() + (b.path("tenant").isNull() ? " (fleet-wide)" : " in tenant "
                        + b.path("tenant").asText()));
            }
        }
    }

    @Command(name = "can-i", description = "Whether you may do VERB on RESOURCE: prints yes (exit 0) or no (exit 1).")
    static final class CanI implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "VERB", description = "get, list, create, update or delete")
        String verb;

        @Parameters(index = "1", paramLabel = "RESOURCE", description = "satellites, link, apps, pipelines, workloads, "
                + "runs, events, logs, products, images, tenants, tokens, rolebindings, audit, metrics")
        String resource;

        @Option(names = "--tenant", paramLabel = "TENANT",
                description = "In this tenant (default: the context's tenant, else yours if you have one)")
        String tenant;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.JSON.createObjectNode().put("verb", verb).put("resource", resource);
            String t = server.tenant(tenant);
            if (t != null) body.put("tenant", t);
            boolean yes = server.client().post("/api/v1/auth/can-i", body).path("allowed").asBoolean();
            System.out.println(yes ? "yes" : "no");
            return yes ? 0 : 1;
        }
    }
}
