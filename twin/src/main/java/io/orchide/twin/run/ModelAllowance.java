package io.orchide.twin.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.orchide.client.http.HttpApi;
import io.orchide.client.http.Transfers;
import io.orchide.model.Metadata;
import io.orchide.model.Model;
import io.orchide.twin.scenario.TenantModel;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenario's models allowed on board, before the tenants' manifests that use them: each tenant pushes its model's
 * file to ground and signs it with its delegated key (as {@code orchide image push model.onnx --sign-with KEY} does),
 * then an operator (a token of role {@code operator}, which the twin makes as the platform admin) applies the Model,
 * owned by that tenant, to each satellite the scenario names, as {@code orchide apply -f model.yaml --satellite SAT}
 * does. Ground sends the file ahead of the Model; the node allows it once the file is whole and its signature holds.
 */
final class ModelAllowance {
    private ModelAllowance() {
    }

    /** Allows every model of {@code tenants}; returns what ground said, one line per Model and satellite. */
    static List<String> apply(String groundApi, String adminToken, List<TenantAccess.Member> tenants,
                              ImageSigner signer, ManifestApplier applier) {
        List<String> out = new ArrayList<>();
        if (tenants.stream().allMatch(t -> t.spec().models().isEmpty())) return out;
        // as long as the longest scenario: nothing the twin made outlives it by much
        String operator = new HttpApi(URI.create(groundApi), Transfers.NONE, adminToken).post("/api/v1/tokens",
                JsonNodeFactory.instance.objectNode().put("role", "operator").put("ttl", "31d")).path("token").asText();
        for (TenantAccess.Member t : tenants) {
            for (TenantModel m : t.spec().models()) {
                String digest = signer.pushFile(groundApi, t.token(), t.name(), m.file());
                Model model = new Model(new Metadata(m.name(), t.name(), m.model().metadata().labels()), m.model().spec());
                String signed = signer.signed().stream().anyMatch(s -> s.digest().equals(digest) && s.tenant().equals(t.name()))
                        ? "signed with " + t.name() + "'s delegated key" : "unsigned";
                for (String sat : m.satellites()) {
                    for (String line : applier.apply(groundApi, operator, List.of(model), sat).split("\n")) {
                        if (line.isBlank()) continue;
                        out.add(sat + ": " + line.strip() + " by an operator, for " + t.name() + " (its file "
                                + m.file().getFileName() + ", " + Digests.shortName(digest) + ", pushed by " + t.name()
                                + ", " + signed + ")");
                    }
                }
            }
        }
        return out;
    }
}
