package io.orchide.model.codec;

import io.orchide.model.Arch;
import io.orchide.model.Metadata;
import io.orchide.model.Pipeline;

import java.util.List;

/** Reads a document of {@code kind: Pipeline}. */
public final class PipelineReader implements KindReader<Pipeline> {
    @Override public String kind() {
        return Pipeline.KIND;
    }

    @Override public List<String> topLevelFields() {
        return List.of("apiVersion", "kind", "metadata", "spec");
    }

    @Override public Pipeline read(Cursor root, Arch nodeArch) {
        Metadata metadata = MetadataReader.read(root.field("metadata"));
        return new Pipeline(metadata, PipelineSpecReader.read(root.field("spec"), nodeArch,
                metadata == null ? null : metadata.name()));
    }
}
