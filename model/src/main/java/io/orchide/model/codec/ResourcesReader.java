package io.orchide.model.codec;

import io.orchide.model.Resources;

import java.time.Duration;

/** Reads {@code spec.resources}: vcpus (1..256, default 1), memoryMiB (1..1048576, default 64), timeout. */
public final class ResourcesReader {
    public static final int MAX_VCPUS = 256;
    public static final int MAX_MEMORY_MIB = 1_048_576;

    private ResourcesReader() {
    }

    public static Resources read(Cursor c) {
        if (!c.mapping()) return Resources.DEFAULT;
        c.allowOnly("vcpus", "memoryMiB", "timeout");
        Integer vcpus = c.field("vcpus").integer(1, MAX_VCPUS);
        Integer memory = c.field("memoryMiB").integer(1, MAX_MEMORY_MIB);
        Duration timeout = c.field("timeout").duration();
        return new Resources(vcpus == null ? Resources.DEFAULT.vcpus() : vcpus,
                memory == null ? Resources.DEFAULT.memoryMiB() : memory, timeout);
    }
}
