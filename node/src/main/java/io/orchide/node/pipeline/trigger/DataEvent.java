package io.orchide.node.pipeline.trigger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One complete file seen by a subscriber: its absolute path, size and modification time. The record is also the
 * exactly-once key: the same subscriber, path, size and time never fire twice; a file rewritten with a new size or
 * time is a new file and fires again.
 */
public record DataEvent(String subscriber, Path path, long size, Instant modified) {
    public DataEvent {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(modified, "modified");
        path = path.toAbsolutePath().normalize();
        if (size < 0) throw new IllegalArgumentException("negative size " + size + " for " + path);
    }
}
