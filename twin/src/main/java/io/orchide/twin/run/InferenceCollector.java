package io.orchide.twin.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.orchide.client.ManifestFiles;
import io.orchide.model.AppSpec;
import io.orchide.model.Manifest;
import io.orchide.model.ManifestException;
import io.orchide.model.ModelUse;
import io.orchide.model.Pipeline;
import io.orchide.model.Step;
import io.orchide.twin.scenario.TenantModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@link InferenceSummary} at the end of a scenario from each node's API: the models it lists, its runs and
 * their step attempts, and its audit (the broker's refusals of {@code infer}, and the changes from ground it refused).
 * Null when no tenant has a model and no tenant pipeline declares one.
 */
final class InferenceCollector {
    static final String BROKER = "broker", INFER = "infer", REFUSED = "refused";

    private InferenceCollector() {
    }

    static InferenceSummary collect(List<SatelliteRig> rigs, List<TenantAccess.Member> tenants,
                                    List<ImageSigner.Signed> signed) {
        List<InferenceSummary.Allowed> allowed = new ArrayList<>();
        List<InferenceSummary.Use> uses = new ArrayList<>();
        Map<String, Map<String, List<String>>> declaring = new HashMap<>(); // tenant -> pipeline -> steps declaring models
        Map<String, Map<String, List<String>>> modelsOf = new HashMap<>(); // tenant -> pipeline -> models declared
        for (TenantAccess.Member t : tenants) {
            for (Path file : t.spec().manifests()) declarations(file, t.name(), declaring, modelsOf);
        }
        boolean anyModel = tenants.stream().anyMatch(t -> !t.spec().models().isEmpty());
        if (!anyModel && declaring.isEmpty()) return null;
        for (SatelliteRig rig : rigs) {
            Map<String, JsonNode> held = new HashMap<>();
            for (JsonNode m : rig.models()) held.put(m.path("name").asText(), m);
            for (TenantAccess.Member t : tenants) {
                for (TenantModel m : t.spec().models()) {
                    if (!m.satellites().contains(rig.name())) continue;
                    JsonNode h = held.get(m.name());
                    String digest = m.model().spec().digest();
                    String signer = signed.stream().filter(s -> s.digest().equals(digest)).map(ImageSigner.Signed::tenant)
                            .findFirst().orElse(null);
                    allowed.add(new InferenceSummary.Allowed(rig.name(), m.name(), t.name(), m.model().spec().version(),
                            digest, signer, h != null && h.path("digest").asText().equals(digest),
                            h != null && h.path("present").asBoolean(), h != null && h.path("loaded").asBoolean()));
                }
            }
            List<JsonNode> audit = rig.audit();
            List<JsonNode> runs = rig.runs();
            for (var byTenant : declaring.entrySet()) {
                for (var p : byTenant.getValue().entrySet()) {
                    uses.add(use(rig, byTenant.getKey(), p.getKey(), p.getValue(),
                            modelsOf.get(byTenant.getKey()).get(p.getKey()), runs, audit));
                }
            }
        }
        uses.sort(Comparator.comparing(InferenceSummary.Use::tenant).thenComparing(InferenceSummary.Use::pipeline)
                .thenComparing(InferenceSummary.Use::satellite));
        return new InferenceSummary(allowed, uses);
    }

    private static InferenceSummary.Use use(SatelliteRig rig, String tenant, String pipeline, List<String> steps,
                                            List<String> models, List<JsonNode> runs, List<JsonNode> audit) {
        // the newest record of the change from ground says whether the node holds the pipeline or refused it
        String refused = null;
        long newest = -1;
        int brokerRefused = 0;
        String lastRefusal = null;
        long lastRefusalSeq = -1;
        String caller = io.orchide.model.DatasetSpec.Principals.PIPELINE + " " + pipeline + ":";
        for (JsonNode a : audit) {
            long seq = a.path("seq").asLong();
            if (a.path("kind").asText().equals("Pipeline") && a.path("name").asText().equals(pipeline)
                    && a.path("verb").asText().equals("apply") && seq > newest) {
                newest = seq;
                refused = a.path("outcome").asText().equals(REFUSED) ? a.path("reason").asText() : null;
            }
            if (a.path("origin").asText().equals(BROKER) && a.path("verb").asText().equals(INFER)
                    && a.path("outcome").asText().equals(REFUSED) && a.path("tenant").asText().equals(tenant)
                    && a.path("reason").asText().startsWith(caller)) {
                brokerRefused++;
                if (seq > lastRefusalSeq) {
                    lastRefusalSeq = seq;
                    lastRefusal = a.path("reason").asText().substring(caller.length()).strip();
                }
            }
        }
        int count = 0, answered = 0;
        for (JsonNode r : runs) {
            if (!r.path("pipeline").asText().equals(pipeline)) continue;
            count++;
            JsonNode detail = rig.run(r.path("name").asText());
            if (detail == null) continue;
            for (JsonNode a : detail.path("stepRuns")) {
                if (steps.contains(a.path("step").asText()) && a.path("state").asText().equals("succeeded")) answered++;
            }
        }
        return new InferenceSummary.Use(rig.name(), tenant, pipeline, models, refused, count, answered, brokerRefused,
                lastRefusal);
    }

    /** The tenant's pipelines in {@code file} that declare models: the steps that do, and the models. */
    private static void declarations(Path file, String tenant, Map<String, Map<String, List<String>>> declaring,
                                     Map<String, Map<String, List<String>>> modelsOf) {
        List<Manifest> docs;
        try {
            docs = ManifestFiles.read(file);
        } catch (ManifestException e) {
            return; // applied before without error: cannot happen
        }
        for (Manifest m : docs) {
            if (!(m instanceof Pipeline p)) continue;
            List<String> steps = new ArrayList<>();
            Set<String> models = new LinkedHashSet<>();
            for (Step s : p.spec().steps()) {
                AppSpec t = s.template();
                if (t == null || t.models().isEmpty()) continue;
                steps.add(s.name());
                t.models().stream().map(ModelUse::name).forEach(models::add);
            }
            if (steps.isEmpty()) continue;
            declaring.computeIfAbsent(tenant, k -> new java.util.LinkedHashMap<>()).put(p.name(), steps);
            modelsOf.computeIfAbsent(tenant, k -> new java.util.LinkedHashMap<>()).put(p.name(), List.copyOf(models));
        }
    }
}
