package io.orchide.runtime.oci;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which cgroup hierarchy the host mounts, which decides where limits live. */
public enum Cgroups {
    /** Unified hierarchy only (cgroup.controllers at the root). */
    V2("v2"),
    /** Controllers on v1 hierarchies, with an empty v2 hierarchy at /sys/fs/cgroup/unified. */
    HYBRID("v1 (hybrid)"),
    V1("v1");

    private final String label;

    Cgroups(String label) { this.label = label; }

    public String label() { return label; }

    public static Cgroups detect() { return detect(Path.of("/sys/fs/cgroup")); }

    static Cgroups detect(Path root) {
        if (Files.exists(root.resolve("cgroup.controllers"))) return V2;
        if (Files.isDirectory(root.resolve("unified"))) return HYBRID;
        return V1;
    }

    /** Path of the memory limit file of a cgroup, relative to its own directory in the memory hierarchy. */
    public String memoryLimitFile() { return this == V2 ? "memory.max" : "memory.limit_in_bytes"; }
}
