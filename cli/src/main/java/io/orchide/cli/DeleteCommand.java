package io.orchide.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.cli.Resources.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code orchide delete workload|pipeline|dataset|devicegrant NAME}: a workload is stopped and forgotten; a pipeline is
 * forgotten and its queued and running runs are cancelled; a dataset's declaration is forgotten (its files stay); a
 * device grant is withdrawn (the broker refuses what only it allowed).
 */
@Command(name = "delete", description = "Remove a workload (stopped first), a pipeline (its runs cancelled) or a "
        + "dataset's declaration (its files stay): delete workload|pipeline|dataset NAME; revoke a token on ground at once: delete token ID; "
        + "on ground, a satellite's Secret (delete secret NAME --satellite SAT) or node key (delete nodekey FINGERPRINT --satellite SAT); "
        + "a device grant: delete devicegrant NAME, a model allowed on board: delete model NAME (on a node, or --satellite SAT on ground).")
final class DeleteCommand implements Runnable {
    @Mixin
    ResourceRef ref;

    @Mixin
    ServerOption server;

    @Mixin
    SatelliteOption satellite;

    @Override
    public void run() {
        Kind kind = ref.kind(Kind.WORKLOAD, Kind.PIPELINE, Kind.DATASET, Kind.TOKEN, Kind.SECRET, Kind.NODEKEY,
                Kind.DEVICEGRANT, Kind.MODEL);
        if (kind == Kind.NODEKEY) {
            revokeNodeKey();
            return;
        }
        String name = ref.name(kind);
        if (kind == Kind.TOKEN) {
            if (satellite.satellite != null) throw new CliException("tokens are ground's, not a satellite's: no --satellite");
            JsonNode r = server.client().delete("/api/v1/tokens/" + name);
            System.out.println("token/" + name + " revoked" + (r.path("name").isTextual() ? " (" + r.path("name").asText() + ")" : "")
                    + ": refused from its next request on");
            return;
        }
        satellite.defaultFrom(server);
        if (satellite.present()) {
            String objects = switch (kind) {
                case WORKLOAD -> "/apps/";
                case DATASET -> "/datasets/";
                case SECRET -> "/secrets/";
                case DEVICEGRANT -> "/devicegrants/";
                case MODEL -> "/models/";
                default -> "/pipelines/";
            };
            JsonNode r = server.client().delete(satellite.base() + objects + name);
            System.out.println(kind.singular() + "/" + name + " deletion queued (generation "
                    + r.path("generation").asText() + ", delivered to " + satellite.satellite + " at its next contact)");
            return;
        }
        if (kind == Kind.SECRET) throw new CliException("secrets are kept by ground per satellite: delete secret " + name + " --satellite NAME");
        JsonNode r = server.client().delete("/api/v1/" + kind.plural() + "/" + name);
        System.out.println(kind.singular() + "/" + name + " deleted");
        for (JsonNode run : r.path("cancelled")) System.out.println("run/" + run.asText() + " cancelled");
    }

    /** Revokes a satellite's node key by its fingerprint: the link refuses it from its next handshake on. */
    private void revokeNodeKey() {
        String fp = ref.name;
        if (fp == null || !fp.matches("sha256:[0-9a-f]{64}")) {
            throw new CliException("delete nodekey takes a key's fingerprint, sha256: and 64 hex digits (got " + fp + ")");
        }
        satellite.defaultFrom(server);
        if (!satellite.present()) throw new CliException("node keys are a satellite's: delete nodekey " + fp + " --satellite NAME");
        server.client().delete(satellite.base() + "/keys/" + fp);
        System.out.println("nodekey/" + fp + " of " + satellite.satellite + " revoked: the link refuses it from its next handshake on");
    }
}
