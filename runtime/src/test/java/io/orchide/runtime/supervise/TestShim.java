package io.orchide.runtime.supervise;

import io.orchide.runtime.ExitListener;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RuntimeConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared fixtures: the shim extracted from the test classpath, and a listener recording exits. */
public final class TestShim {
    private TestShim() {
    }

    public static synchronized Path path() {
        return ShimBinary.install(Path.of("target", "test-bin").toAbsolutePath());
    }

    public static RuntimeConfig config(Path stateDir, long logMax) {
        return new RuntimeConfig(path(), Map.of(), null, logMax, stateDir);
    }

    /** An exit reported to a listener. */
    public record Exit(Path dir, RawExit exit) {
    }

    /** Records every exit it is told of. */
    public static final class Recorder implements ExitListener {
        public final List<Exit> exits = new CopyOnWriteArrayList<>();

        @Override
        public void exited(Path runDir, RawExit exit) {
            exits.add(new Exit(runDir, exit));
        }

        public List<Exit> of(Path dir) {
            return exits.stream().filter(e -> e.dir().equals(dir)).toList();
        }
    }
}
