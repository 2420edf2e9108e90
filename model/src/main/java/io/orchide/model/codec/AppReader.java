package io.orchide.model.codec;

import io.orchide.model.App;
import io.orchide.model.Arch;

import java.util.List;

/** Reads a document of {@code kind: App}. */
public final class AppReader implements KindReader<App> {
    @Override public String kind() {
        return App.KIND;
    }

    @Override public List<String> topLevelFields() {
        return List.of("apiVersion", "kind", "metadata", "spec");
    }

    @Override public App read(Cursor root, Arch nodeArch) {
        return new App(MetadataReader.read(root.field("metadata")), SpecReader.read(root.field("spec"), nodeArch));
    }
}
