package io.orchide.ground.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.FieldError;
import io.orchide.model.Manifest;
import io.orchide.model.Pipeline;
import io.orchide.model.Secret;
import io.orchide.model.SecretRef;
import io.orchide.web.ApiException;
import io.orchide.web.Exchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What ground checks and shows of Secrets beyond storing them: an App or a step's template may take a variable only from
 * a Secret of its own tenant that holds the key it names, and files ({@code secretMounts}) only from its tenant's Secret (another tenant's Secret reads as a missing one), and a
 * stored Secret is shown as its key names, version and node keys, never its ciphertexts.
 */
final class SecretReferences {
    private SecretReferences() {
    }

    /**
     * Refuses {@code m} when a variable of it names a Secret that {@code secrets} (by name: the apply's own documents,
     * then the satellite's desired state) does not hold for the manifest's tenant, or a key that Secret lacks.
     */
    static void check(Manifest m, String sat, Function<String, Secret> secrets) {
        String tenant = m.metadata().tenant();
        List<FieldError> errors = new ArrayList<>();
        switch (m) {
            case App a -> {
                check(a.spec(), "spec.env.", tenant, sat, secrets, errors);
                checkMounts(a.spec(), "spec.", tenant, sat, secrets, errors);
            }
            case Pipeline p -> {
                for (int i = 0; i < p.spec().steps().size(); i++) {
                    AppSpec t = p.spec().steps().get(i).template();
                    if (t != null) check(t, "spec.steps[" + i + "].template.env.", tenant, sat, secrets, errors);
                    if (t != null) checkMounts(t, "spec.steps[" + i + "].template.", tenant, sat, secrets, errors);
                }
            }
            default -> { }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(400, "invalid", m.kind() + " " + m.name() + " of tenant " + tenant
                    + " names a Secret it cannot use: " + errors.getFirst().path() + " " + errors.getFirst().value() + " "
                    + errors.getFirst().message(), errors);
        }
    }

    private static void check(AppSpec spec, String prefix, String tenant, String sat, Function<String, Secret> secrets,
                              List<FieldError> errors) {
        for (Map.Entry<String, SecretRef> e : new TreeMap<>(spec.secretEnv()).entrySet()) {
            SecretRef ref = e.getValue();
            Secret s = secrets.apply(ref.secret());
            if (s == null || !s.metadata().tenant().equals(tenant)) {
                errors.add(new FieldError(prefix + e.getKey() + ".secret", ref.secret(),
                        "is not a Secret of tenant " + tenant + " on " + sat + " (apply the Secret first, or in the same apply)"));
            } else if (!s.keys().contains(ref.key())) {
                errors.add(new FieldError(prefix + e.getKey() + ".key", ref.key(),
                        "is not a key of Secret " + ref.secret() + " (its keys: " + String.join(", ", s.keys()) + ")"));
            }
        }
    }

    /** Each of {@code spec.secretMounts} must name a Secret of the tenant (every key of it becomes a file). */
    private static void checkMounts(AppSpec spec, String prefix, String tenant, String sat, Function<String, Secret> secrets,
                                    List<FieldError> errors) {
        for (int i = 0; i < spec.secretMounts().size(); i++) {
            String name = spec.secretMounts().get(i).secret();
            Secret s = secrets.apply(name);
            if (s == null || !s.metadata().tenant().equals(tenant)) {
                errors.add(new FieldError(prefix + "secretMounts[" + i + "].secret", name,
                        "is not a Secret of tenant " + tenant + " on " + sat + " (apply the Secret first, or in the same apply)"));
            }
        }
    }

    /** A stored (sealed) Secret as the API shows it: metadata, key names, version and the node keys it is sealed to. */
    static ObjectNode view(String sealedJson) {
        JsonNode stored = GroundApi.jsonOr(sealedJson);
        ObjectNode o = Exchange.JSON.objectNode();
        o.put("apiVersion", stored.path("apiVersion").asText());
        o.put("kind", Secret.KIND);
        o.set("metadata", stored.path("metadata").deepCopy());
        JsonNode sealed = stored.path("sealed");
        o.put("version", sealed.path("version").asInt());
        o.set("keys", sealed.path("keys").deepCopy());
        ArrayNode keys = o.putArray("sealedTo");
        for (JsonNode c : sealed.path("copies")) keys.add(c.path("nodeKey").asText());
        return o;
    }
}
