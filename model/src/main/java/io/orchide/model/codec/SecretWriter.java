package io.orchide.model.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Secret;

/**
 * Writes a Secret in the manifest wire shape: {@code data} (clear, as a user gave it: only ever written for sealing or
 * back to that user) or {@code sealed}; keys sorted, so that equal Secrets give equal text.
 */
public final class SecretWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SecretWriter() {
    }

    public static String toJson(Secret s) {
        return Trees.toJson(tree(s), false);
    }

    public static String toYaml(Secret s) {
        return Trees.toYaml(tree(s));
    }

    public static ObjectNode tree(Secret s) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", Secret.API_VERSION);
        root.put("kind", Secret.KIND);
        root.set("metadata", AppWriter.metadata(s.metadata()));
        if (s.isSealed()) {
            ObjectNode n = root.putObject("sealed");
            n.put("version", s.sealed().version());
            ArrayNode keys = n.putArray("keys");
            s.sealed().keys().forEach(keys::add);
            ArrayNode copies = n.putArray("copies");
            for (Secret.Copy c : s.sealed().copies()) {
                copies.addObject().put("nodeKey", c.nodeKey()).put("ephemeral", c.ephemeral()).put("ciphertext", c.ciphertext());
            }
        } else {
            ObjectNode d = root.putObject("data");
            s.data().forEach(d::put);
        }
        return root;
    }

    /** The clear data as the compact JSON object that is sealed ({@code {"key":"value",...}}, keys sorted). */
    public static byte[] dataJson(Secret s) {
        ObjectNode d = F.objectNode();
        s.data().forEach(d::put);
        return Trees.toJsonBytes(d, false);
    }
}
