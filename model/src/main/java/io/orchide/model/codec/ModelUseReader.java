package io.orchide.model.codec;

import io.orchide.model.ModelUse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code spec.models} of an App or a step's template: each item a Model's name, or
 * {@code {name, accelerator, path}} (the accelerator class it runs the model on, the absolute path of its read-only
 * file in a process or container). Names and paths are unique within the list.
 */
final class ModelUseReader {
    private ModelUseReader() {
    }

    static List<ModelUse> read(Cursor c) {
        List<ModelUse> out = new ArrayList<>();
        Map<String, String> names = new HashMap<>(), paths = new HashMap<>();
        for (Cursor item : c.items()) {
            ModelUse use = item.isMapping() ? mapping(item) : named(item);
            if (use == null) continue;
            String first = names.putIfAbsent(use.name(), item.path());
            if (first != null) {
                item.error("uses model " + use.name() + " again (first at " + first + ")");
                continue;
            }
            first = paths.putIfAbsent(use.path(), item.path());
            if (first != null) {
                item.error("mounts at " + use.path() + " as " + first + " does");
                continue;
            }
            out.add(use);
        }
        return out;
    }

    private static ModelUse named(Cursor item) {
        String name = MetadataReader.dnsLabel(item, true);
        return name == null ? null : new ModelUse(name, null, null);
    }

    private static ModelUse mapping(Cursor item) {
        item.allowOnly("name", "accelerator", "path");
        String name = MetadataReader.dnsLabel(item.field("name"), true);
        String accelerator = MetadataReader.dnsLabel(item.field("accelerator"), false);
        Cursor pathField = item.field("path");
        String path = pathField.hostPath(false);
        if (path != null && (!path.startsWith("/") || path.equals("/") || path.contains("/../") || path.endsWith("/.."))) {
            pathField.error("must be an absolute file path inside the workload, without ..");
            path = null;
        }
        return name == null ? null : new ModelUse(name, accelerator, path);
    }
}
