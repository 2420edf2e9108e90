package io.orchide.node.pipeline.run;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A product waiting in the node's outbox, with its lineage: the run, step and instance that wrote it, the inputs
 * that step read and the digest of the image it ran. {@code path} is its copy in the outbox.
 */
public record ProductRecord(long id, long runId, String pipeline, String step, Integer item, String output, Path path,
                            long sizeBytes, String sha256, int priority, Duration retention, Instant expiresAt,
                            String image, Map<String, String> inputs, String state, Instant createdAt) {
    public ProductRecord {
        inputs = Map.copyOf(inputs);
    }

    public String runName() {
        return PipelineRun.name(pipeline, runId);
    }
}
