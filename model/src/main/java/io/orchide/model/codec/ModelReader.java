package io.orchide.model.codec;

import io.orchide.model.Arch;
import io.orchide.model.ContentRef;
import io.orchide.model.Metadata;
import io.orchide.model.Model;
import io.orchide.model.ModelSpec;

import java.util.ArrayList;
import java.util.List;

/** Reads a document of {@code kind: Model}, each error at its field path with the value found. */
public final class ModelReader implements KindReader<Model> {
    /** The longest version text. */
    public static final int MAX_VERSION = 64;
    /** The longest signer key id. */
    public static final int MAX_SIGNER = 128;

    @Override public String kind() {
        return Model.KIND;
    }

    @Override public List<String> topLevelFields() {
        return List.of("apiVersion", "kind", "metadata", "spec");
    }

    @Override public Model read(Cursor root, Arch nodeArch) {
        Metadata metadata = MetadataReader.read(root.field("metadata"));
        Cursor spec = root.field("spec");
        if (!spec.present()) {
            spec.missing();
            return null;
        }
        if (!spec.mapping()) return null;
        spec.allowOnly("digest", "version", "tenants", "accelerators", "signer");
        String digest = digest(spec.field("digest"));
        String version = bounded(spec.field("version"), true, MAX_VERSION);
        List<String> tenants = labels(spec.field("tenants"), false);
        List<String> accelerators = labels(spec.field("accelerators"), true);
        String signer = bounded(spec.field("signer"), false, MAX_SIGNER);
        if (digest == null || version == null) return null;
        return new Model(metadata, new ModelSpec(digest, version, tenants, accelerators, signer));
    }

    /** A model use's or a model's digest: {@code sha256:} and 64 lowercase hex digits. */
    static String digest(Cursor c) {
        String s = c.requiredString();
        if (s == null) return null;
        if (ContentRef.hex(s).isEmpty()) {
            c.error("must be sha256: followed by 64 lowercase hex digits (orchide image push prints it)");
            return null;
        }
        return s;
    }

    private static String bounded(Cursor c, boolean required, int max) {
        String s = required ? c.requiredString() : c.nonEmptyString();
        if (s == null) return null;
        if (s.length() > max || s.chars().anyMatch(ch -> ch < 0x21 || ch > 0x7e)) {
            c.error("must be at most " + max + " printable characters without spaces");
            return null;
        }
        return s;
    }

    private static List<String> labels(Cursor c, boolean required) {
        if (required && !c.present()) {
            c.error("is required; a list of accelerator classes such as cpu, gpu, fpga");
            return List.of();
        }
        List<Cursor> items = c.items();
        if (required && c.isList() && items.isEmpty()) c.error("must name at least one accelerator class");
        List<String> out = new ArrayList<>();
        for (Cursor item : items) {
            String name = MetadataReader.dnsLabel(item, true);
            if (name == null) continue;
            if (out.contains(name)) item.error("is listed twice");
            else out.add(name);
        }
        return out;
    }
}
