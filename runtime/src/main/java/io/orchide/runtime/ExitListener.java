package io.orchide.runtime;

import java.nio.file.Path;

/** Told once per monitor exit, from the supervisor's watcher thread; must not block for long. */
@FunctionalInterface
public interface ExitListener {
    void exited(Path runDir, RawExit exit);
}
