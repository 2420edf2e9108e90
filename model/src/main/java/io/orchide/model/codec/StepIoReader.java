package io.orchide.model.codec;

import io.orchide.model.DataRef;
import io.orchide.model.ForEach;
import io.orchide.model.Product;
import io.orchide.model.StepInput;
import io.orchide.model.StepOutput;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what data a step takes and leaves: {@code forEach}, {@code inputs} (name, from), {@code outputs} (name,
 * path relative to the step's out directory, product, dataset). Input names are unique in a step, as are output names and
 * output paths.
 */
final class StepIoReader {
    private final StepSite site;

    StepIoReader(StepSite site) {
        this.site = site;
    }

    ForEach forEach(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("items", "parallelism");
        Cursor items = c.field("items");
        site.forEachItems = items;
        DataRef ref = ref(items);
        Cursor parallelismField = c.field("parallelism");
        Integer parallelism = parallelismField.integer(1, ForEach.MAX_PARALLELISM);
        if (parallelism != null) site.parallelism = new StepSite.Located<>(parallelismField, parallelism);
        return new ForEach(ref, parallelism == null ? ForEach.DEFAULT_PARALLELISM : parallelism);
    }

    List<StepInput> inputs(Cursor list) {
        List<StepInput> inputs = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (Cursor c : list.items()) {
            if (!c.present()) {
                c.error("must be a mapping with name and from, not null");
                continue;
            }
            if (!c.mapping()) continue;
            c.allowOnly("name", "from");
            String name = uniqueName(c.field("name"), names);
            DataRef from = ref(c.field("from"));
            if (name != null && from != null) inputs.add(new StepInput(name, from));
        }
        return inputs;
    }

    List<StepOutput> outputs(Cursor list) {
        List<StepOutput> outputs = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> paths = new HashMap<>();
        for (Cursor c : list.items()) {
            if (!c.present()) {
                c.error("must be a mapping with name and path, not null");
                continue;
            }
            if (!c.mapping()) continue;
            c.allowOnly("name", "path", "product", "dataset");
            String name = uniqueName(c.field("name"), names);
            if (name != null) site.outputs.add(name);
            Cursor pathField = c.field("path");
            String path = relativePath(pathField);
            if (path != null) unique(pathField, path, paths);
            Product product = product(c.field("product"));
            String dataset = MetadataReader.dnsLabel(c.field("dataset"), false);
            if (name != null && path != null) outputs.add(new StepOutput(name, path, product, dataset));
        }
        return outputs;
    }

    private DataRef ref(Cursor c) {
        String text = c.requiredString();
        if (text == null) return null;
        try {
            DataRef ref = DataRef.parse(text);
            site.data.add(new StepSite.Located<>(c, ref));
            return ref;
        } catch (IllegalArgumentException e) {
            c.error(e.getMessage());
            return null;
        }
    }

    private static Product product(Cursor c) {
        if (!c.present()) return null;
        if (!c.mapping()) return null;
        c.allowOnly("priority", "retention");
        Integer priority = c.field("priority").integer(0, 100);
        Duration retention = c.field("retention").duration();
        return new Product(priority == null ? Product.DEFAULT_PRIORITY : priority,
                retention == null ? Product.DEFAULT_RETENTION : retention);
    }

    /** A path inside the step's out directory: relative, without '..', not the directory itself. */
    private static String relativePath(Cursor c) {
        String path = c.hostPath(true);
        if (path == null) return null;
        if (path.startsWith("/")) {
            c.error("must be relative to the step's out directory (not start with /)");
            return null;
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                c.error("must not contain '..'");
                return null;
            }
        }
        if (path.replace("/", "").replace(".", "").isEmpty()) {
            c.error("must name a file or directory inside the out directory");
            return null;
        }
        return path;
    }

    private static String uniqueName(Cursor c, Map<String, String> seen) {
        String name = MetadataReader.dnsLabel(c, true);
        if (name != null && !unique(c, name, seen)) return null;
        return name;
    }

    private static boolean unique(Cursor c, String value, Map<String, String> seen) {
        String first = seen.putIfAbsent(value, c.path());
        if (first == null) return true;
        c.error("duplicates " + first);
        return false;
    }
}
