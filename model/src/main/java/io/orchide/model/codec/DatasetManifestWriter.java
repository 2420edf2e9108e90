package io.orchide.model.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.Dataset;
import io.orchide.model.DatasetSpec;

import java.util.List;

/** Writes a Dataset in the manifest wire shape, fields in a fixed order; absent limits and rules stay absent. */
public final class DatasetManifestWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DatasetManifestWriter() {
    }

    public static String toJson(Dataset d) {
        return Trees.toJson(tree(d), false);
    }

    public static String toYaml(Dataset d) {
        return Trees.toYaml(tree(d));
    }

    public static ObjectNode tree(Dataset d) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", Dataset.API_VERSION);
        root.put("kind", Dataset.KIND);
        root.set("metadata", AppWriter.metadata(d.metadata()));
        ObjectNode spec = root.putObject("spec");
        DatasetSpec s = d.spec();
        if (s.quota().limited()) {
            ObjectNode q = spec.putObject("quota");
            if (s.quota().bytes() != null) q.put("bytes", s.quota().bytes());
            if (s.quota().files() != null) q.put("files", s.quota().files());
        }
        if (s.retention().any()) {
            ObjectNode r = spec.putObject("retention");
            if (s.retention().maxAge() != null) r.put("maxAge", Durations.format(s.retention().maxAge()));
            if (s.retention().keepLast() != null) r.put("keepLast", s.retention().keepLast());
        }
        if (s.access().read() != null || s.access().write() != null) {
            ObjectNode a = spec.putObject("access");
            if (s.access().read() != null) a.set("read", principals(s.access().read()));
            if (s.access().write() != null) a.set("write", principals(s.access().write()));
        }
        return root;
    }

    private static ObjectNode principals(DatasetSpec.Principals p) {
        ObjectNode n = F.objectNode();
        list(n, "tenants", p.tenants());
        list(n, "pipelines", p.pipelines());
        list(n, "apps", p.apps());
        return n;
    }

    private static void list(ObjectNode n, String field, List<String> names) {
        if (names.isEmpty()) return;
        ArrayNode a = n.putArray(field);
        names.forEach(a::add);
    }
}
