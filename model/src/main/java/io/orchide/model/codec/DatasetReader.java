package io.orchide.model.codec;

import io.orchide.model.Arch;
import io.orchide.model.Dataset;
import io.orchide.model.DatasetSpec;
import io.orchide.model.Metadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a document of {@code kind: Dataset}: its quota, retention and access, each error at its field path. */
public final class DatasetReader implements KindReader<Dataset> {
    /** The most files a quota may name: more than any payload disk holds as separate files. */
    public static final int MAX_FILES = 100_000_000;

    @Override public String kind() {
        return Dataset.KIND;
    }

    @Override public List<String> topLevelFields() {
        return List.of("apiVersion", "kind", "metadata", "spec");
    }

    @Override public Dataset read(Cursor root, Arch nodeArch) {
        Metadata metadata = MetadataReader.read(root.field("metadata"));
        Cursor spec = root.field("spec");
        // a dataset without a spec is valid: owned by its tenant, no quota, no retention
        if (spec.present() && !spec.mapping()) return new Dataset(metadata, new DatasetSpec(null, null, null));
        spec.allowOnly("quota", "retention", "access");
        return new Dataset(metadata, new DatasetSpec(quota(spec.field("quota")), retention(spec.field("retention")),
                access(spec.field("access"))));
    }

    private static DatasetSpec.Quota quota(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("bytes", "files");
        Long bytes = c.field("bytes").size(1);
        Integer files = c.field("files").integer(1, MAX_FILES);
        return new DatasetSpec.Quota(bytes, files);
    }

    private static DatasetSpec.Retention retention(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("maxAge", "keepLast");
        Duration maxAge = c.field("maxAge").duration();
        Integer keepLast = c.field("keepLast").integer(1, MAX_FILES);
        return new DatasetSpec.Retention(maxAge, keepLast);
    }

    private static DatasetSpec.Access access(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("read", "write");
        return new DatasetSpec.Access(principals(c.field("read")), principals(c.field("write")));
    }

    private static DatasetSpec.Principals principals(Cursor c) {
        if (!c.mapping()) return null;
        c.allowOnly("tenants", "pipelines", "apps");
        if (c.fieldNames().isEmpty()) c.error("must name at least one of tenants, pipelines, apps");
        return new DatasetSpec.Principals(names(c.field("tenants")), names(c.field("pipelines")),
                names(c.field("apps")));
    }

    private static List<String> names(Cursor c) {
        List<String> out = new ArrayList<>();
        for (Cursor item : c.items()) {
            String name = MetadataReader.dnsLabel(item, true);
            if (name != null) out.add(name);
        }
        return out;
    }
}
