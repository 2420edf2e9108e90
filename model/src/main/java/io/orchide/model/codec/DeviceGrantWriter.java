package io.orchide.model.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.DeviceGrant;
import io.orchide.model.DeviceGrantSpec;

import java.util.List;

/** Writes a DeviceGrant in the manifest wire shape, fields in a fixed order; absent limits stay absent. */
public final class DeviceGrantWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DeviceGrantWriter() {
    }

    public static String toJson(DeviceGrant g) {
        return Trees.toJson(tree(g), false);
    }

    public static String toYaml(DeviceGrant g) {
        return Trees.toYaml(tree(g));
    }

    public static ObjectNode tree(DeviceGrant g) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", DeviceGrant.API_VERSION);
        root.put("kind", DeviceGrant.KIND);
        root.set("metadata", AppWriter.metadata(g.metadata()));
        ObjectNode spec = root.putObject("spec");
        DeviceGrantSpec s = g.spec();
        spec.put("device", s.device());
        list(spec, "apps", s.apps());
        list(spec, "pipelines", s.pipelines());
        ArrayNode verbs = spec.putArray("verbs");
        for (DeviceGrantSpec.Verb v : DeviceGrantSpec.Verb.values()) if (s.verbs().contains(v)) verbs.add(v.toString());
        DeviceGrantSpec.Windows w = s.windows();
        if (!w.utc().isEmpty() || w.region() != null || w.sunlight()) {
            ObjectNode wn = spec.putObject("windows");
            if (!w.utc().isEmpty()) {
                ArrayNode utc = wn.putArray("utc");
                w.utc().forEach(u -> utc.add(u.toString()));
            }
            if (w.region() != null) {
                wn.putObject("region").put("minLat", w.region().minLat()).put("maxLat", w.region().maxLat())
                        .put("minLon", w.region().minLon()).put("maxLon", w.region().maxLon());
            }
            if (w.sunlight()) wn.put("sunlight", true);
        }
        if (s.quota().limited()) {
            ObjectNode q = spec.putObject("quota");
            if (s.quota().perOrbit() != null) q.put("perOrbit", s.quota().perOrbit());
            if (s.quota().perDay() != null) q.put("perDay", s.quota().perDay());
        }
        if (s.rateLimit() != null) {
            spec.putObject("rateLimit").put("requests", s.rateLimit().requests())
                    .put("per", Durations.format(s.rateLimit().per()));
        }
        return root;
    }

    private static void list(ObjectNode n, String field, List<String> names) {
        if (names.isEmpty()) return;
        ArrayNode a = n.putArray(field);
        names.forEach(a::add);
    }
}
