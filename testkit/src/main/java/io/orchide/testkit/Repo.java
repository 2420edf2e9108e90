package io.orchide.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository under test is: what the tests build and run comes from its {@code examples/}. */
public final class Repo {
    private Repo() {
    }

    /** System property {@code orchide.repo} (set by the build), else the nearest parent of user.dir with {@code examples/}. */
    public static Path root() {
        String prop = System.getProperty("orchide.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples"))) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isDirectory(p.resolve("examples/unikernels"))) return p;
        throw new IllegalStateException("cannot find the repository root (no examples/ above " + System.getProperty("user.dir") + ")");
    }

    /** {@code relative} under the repository root. */
    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
