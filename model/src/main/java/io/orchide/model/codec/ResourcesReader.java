package io.orchide.model.codec;

import io.orchide.model.AcceleratorRequest;
import io.orchide.model.Names;
import io.orchide.model.Resources;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code spec.resources}: vcpus (1..256, default 1), memoryMiB (1..1048576, default 64), timeout, and
 * accelerators: a list of {@code {class, count}} (class a DNS label such as {@code gpu}, count 1..64, default 1), one
 * item per class.
 */
public final class ResourcesReader {
    public static final int MAX_VCPUS = 256;
    public static final int MAX_MEMORY_MIB = 1_048_576;
    public static final int MAX_ACCELERATORS = 64;

    private ResourcesReader() {
    }

    public static Resources read(Cursor c) {
        if (!c.mapping()) return Resources.DEFAULT;
        c.allowOnly("vcpus", "memoryMiB", "timeout", "accelerators");
        Integer vcpus = c.field("vcpus").integer(1, MAX_VCPUS);
        Integer memory = c.field("memoryMiB").integer(1, MAX_MEMORY_MIB);
        Duration timeout = c.field("timeout").duration();
        return new Resources(vcpus == null ? Resources.DEFAULT.vcpus() : vcpus,
                memory == null ? Resources.DEFAULT.memoryMiB() : memory, timeout, accelerators(c.field("accelerators")));
    }

    private static List<AcceleratorRequest> accelerators(Cursor list) {
        List<AcceleratorRequest> out = new ArrayList<>();
        Set<String> classes = new HashSet<>();
        for (Cursor item : list.items()) {
            if (!item.mapping()) {
                if (!item.present()) item.error("must be a mapping with class and count");
                continue;
            }
            item.allowOnly("class", "count");
            Cursor classField = item.field("class");
            String cls = classField.requiredString();
            if (cls != null) {
                String problem = Names.dnsLabelProblem(cls);
                if (problem != null) {
                    classField.error(problem);
                    cls = null;
                } else if (!classes.add(cls)) {
                    classField.error("is asked for already (one item per class: raise its count)");
                    cls = null;
                }
            }
            Integer count = item.field("count").integer(1, MAX_ACCELERATORS);
            if (cls != null && (count != null || !item.field("count").present())) {
                out.add(new AcceleratorRequest(cls, count == null ? 1 : count));
            }
        }
        return out;
    }
}
