package io.orchide.model.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Model;
import io.orchide.model.ModelSpec;

/** Writes a Model in the manifest wire shape, fields in a fixed order; an absent signer or tenant list stays absent. */
public final class ModelWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ModelWriter() {
    }

    public static String toJson(Model m) {
        return Trees.toJson(tree(m), false);
    }

    public static String toYaml(Model m) {
        return Trees.toYaml(tree(m));
    }

    public static ObjectNode tree(Model m) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", Model.API_VERSION);
        root.put("kind", Model.KIND);
        root.set("metadata", AppWriter.metadata(m.metadata()));
        ObjectNode spec = root.putObject("spec");
        ModelSpec s = m.spec();
        spec.put("digest", s.digest());
        spec.put("version", s.version());
        if (!s.tenants().isEmpty()) {
            ArrayNode t = spec.putArray("tenants");
            s.tenants().forEach(t::add);
        }
        ArrayNode a = spec.putArray("accelerators");
        s.accelerators().forEach(a::add);
        if (s.signer() != null) spec.put("signer", s.signer());
        return root;
    }
}
