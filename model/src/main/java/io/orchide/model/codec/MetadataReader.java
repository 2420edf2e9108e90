package io.orchide.model.codec;

import io.orchide.model.Metadata;
import io.orchide.model.Names;

import java.util.Map;

/** Reads and checks {@code metadata}: name, tenant, labels. Shared by every kind. */
public final class MetadataReader {
    private MetadataReader() {
    }

    public static Metadata read(Cursor c) {
        if (!c.present()) {
            c.missing();
            return null;
        }
        if (!c.mapping()) return null;
        c.allowOnly("name", "tenant", "labels");
        String name = dnsLabel(c.field("name"), true);
        String tenant = dnsLabel(c.field("tenant"), false);
        Map<String, String> labels = c.field("labels").stringMap(MetadataReader::labelProblem);
        return new Metadata(name, tenant, labels);
    }

    /** A DNS-1123 label (app, tenant, mount names); null when absent or invalid (the error is reported at c). */
    public static String dnsLabel(Cursor c, boolean required) {
        String s = required ? c.requiredString() : c.nonEmptyString();
        if (s == null) return null;
        String problem = Names.dnsLabelProblem(s);
        if (problem != null) {
            c.error(problem);
            return null;
        }
        return s;
    }

    private static String labelProblem(String key) {
        return Names.labelKeyProblem(key);
    }
}
