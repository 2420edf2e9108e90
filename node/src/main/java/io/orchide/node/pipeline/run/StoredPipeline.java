package io.orchide.node.pipeline.run;

import io.orchide.model.Pipeline;

import java.time.Instant;

/** A pipeline applied on the node: its current version and when it was first and last applied. */
public record StoredPipeline(Pipeline pipeline, long versionId, Instant createdAt, Instant updatedAt) {
    public String name() {
        return pipeline.name();
    }
}
