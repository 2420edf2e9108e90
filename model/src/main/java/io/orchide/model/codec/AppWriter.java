package io.orchide.model.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Metadata;
import io.orchide.model.Mount;
import io.orchide.model.Resources;
import io.orchide.model.RestartPolicy;
import io.orchide.model.RuntimeSpec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an App in the manifest wire shape, fields in a fixed order and map keys sorted, so that equal Apps give
 * equal text. Every resolved default (tenant, resources, restart, accel) is written out.
 */
public final class AppWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AppWriter() {
    }

    public static String toJson(App app) {
        return write(app, false);
    }

    public static String toYaml(App app) {
        return write(app, true);
    }

    private static String write(App app, boolean yaml) {
        ObjectNode tree = tree(app);
        return yaml ? Trees.toYaml(tree) : Trees.toJson(tree, false);
    }

    /** The wire tree of {@code app}. */
    public static ObjectNode tree(App app) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", App.API_VERSION);
        root.put("kind", App.KIND);
        root.set("metadata", metadata(app.metadata()));
        root.set("spec", spec(app.spec()));
        return root;
    }

    static ObjectNode metadata(Metadata m) {
        ObjectNode n = F.objectNode();
        n.put("name", m.name());
        n.put("tenant", m.tenant());
        if (!m.labels().isEmpty()) n.set("labels", stringMap(m.labels()));
        return n;
    }

    static ObjectNode spec(AppSpec s) {
        ObjectNode n = F.objectNode();
        n.put("image", s.image());
        if (s.initrd() != null) n.put("initrd", s.initrd());
        if (s.runtime() != null) n.set("runtime", runtime(s.runtime()));
        if (!s.args().isEmpty()) {
            ArrayNode args = n.putArray("args");
            s.args().forEach(args::add);
        }
        if (!s.env().isEmpty() || !s.secretEnv().isEmpty()) {
            ObjectNode env = stringMap(s.env());
            new TreeMap<>(s.secretEnv()).forEach((k, ref) -> env.putObject(k).put("secret", ref.secret()).put("key", ref.key()));
            n.set("env", env);
        }
        n.set("resources", resources(s.resources()));
        n.set("restart", restart(s.restart()));
        if (!s.inputs().isEmpty()) n.set("inputs", mounts(s.inputs()));
        if (!s.outputs().isEmpty()) n.set("outputs", mounts(s.outputs()));
        if (!s.secretMounts().isEmpty()) {
            ArrayNode a = n.putArray("secretMounts");
            s.secretMounts().forEach(m -> a.addObject().put("secret", m.secret()).put("mountPath", m.mountPath()));
        }
        if (!s.models().isEmpty()) {
            ArrayNode models = n.putArray("models");
            s.models().forEach(u -> models.addObject().put("name", u.name()).put("accelerator", u.accelerator())
                    .put("path", u.path()));
        }
        return n;
    }

    private static ObjectNode runtime(RuntimeSpec r) {
        ObjectNode n = F.objectNode();
        if (r.family() != null) n.put("family", r.family().wire());
        if (r.monitor() != null) n.put("monitor", r.monitor().wire());
        if (r.arch() != null) n.put("arch", r.arch().wire());
        n.put("accel", r.accel().wire());
        return n;
    }

    private static ObjectNode resources(Resources r) {
        ObjectNode n = F.objectNode();
        n.put("vcpus", r.vcpus());
        n.put("memoryMiB", r.memoryMiB());
        if (r.timeout() != null) n.put("timeout", Durations.format(r.timeout()));
        if (!r.accelerators().isEmpty()) {
            var list = n.putArray("accelerators");
            r.accelerators().forEach(a -> list.addObject().put("class", a.deviceClass()).put("count", a.count()));
        }
        return n;
    }

    private static ObjectNode restart(RestartPolicy r) {
        ObjectNode n = F.objectNode();
        n.put("policy", r.policy().wire());
        ObjectNode backoff = n.putObject("backoff");
        backoff.put("initial", Durations.format(r.initialBackoff()));
        backoff.put("max", Durations.format(r.maxBackoff()));
        ObjectNode crashLoop = n.putObject("crashLoop");
        crashLoop.put("limit", r.crashLoopLimit());
        crashLoop.put("window", Durations.format(r.crashLoopWindow()));
        return n;
    }

    private static ArrayNode mounts(List<Mount> mounts) {
        ArrayNode list = F.arrayNode();
        for (Mount m : mounts) {
            ObjectNode n = list.addObject();
            n.put("name", m.name());
            n.put("path", m.path());
            if (m.mountPath() != null) n.put("mountPath", m.mountPath());
            if (m.sizeMiB() != 0) n.put("sizeMiB", m.sizeMiB());
        }
        return list;
    }

    private static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode n = F.objectNode();
        new TreeMap<>(map).forEach(n::put);
        return n;
    }
}
