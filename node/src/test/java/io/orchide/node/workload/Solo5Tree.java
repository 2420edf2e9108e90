package io.orchide.node.workload;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Solo5 build tree the tests that run real Solo5 tenders need, named by the environment variable SOLO5_BUILD. */
public final class Solo5Tree {
    private Solo5Tree() {
    }

    /** The tree; the calling test is skipped where SOLO5_BUILD names none with a solo5-spt tender. */
    public static Path required() {
        String env = System.getenv("SOLO5_BUILD");
        assumeTrue(env != null && Files.isExecutable(Path.of(env, "tenders/spt/solo5-spt")),
                "SOLO5_BUILD does not name a Solo5 build tree");
        return Path.of(env);
    }
}
