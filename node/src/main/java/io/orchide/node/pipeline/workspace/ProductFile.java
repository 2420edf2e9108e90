package io.orchide.node.pipeline.workspace;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An output marked {@code product}, present after its step ended: for the outbox to downlink.
 * {@code item} is the forEach instance (null: none); {@code path} is a file or directory in the workspace.
 */
public record ProductFile(String step, Integer item, String output, Path path, int priority, Duration retention) {
}
