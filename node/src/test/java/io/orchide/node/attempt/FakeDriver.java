package io.orchide.node.attempt;

import io.orchide.model.App;
import io.orchide.model.Monitor;
import io.orchide.runtime.Driver;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A driver without a monitor: it records what it was asked, fails to prepare on demand, and reads exit status 0
 * as success, 83 as the guest's "exit 0" and 85 as its "exit 1" (Unikraft's isa-debug-exit convention).
 */
public final class FakeDriver implements Driver {
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>()); // launches run on other threads
    public volatile String refuse; // when set, prepare fails with it
    public Duration grace = Duration.ofSeconds(10);

    @Override public List<Monitor> monitors() { return List.of(Monitor.values()); }

    @Override public List<Probe> probe() { return List.of(); }

    @Override
    public Launch prepare(App app, Path dir) throws LaunchException {
        calls.add("prepare " + dir.getFileName());
        if (refuse != null) throw new LaunchException("spec.image", app.spec().image(), refuse);
        return new Launch(List.of("/bin/true"), java.util.Map.of());
    }

    @Override public void requestStop(App app, RunningWorkload w) { calls.add("requestStop " + w.monitorPid()); }

    @Override public void kill(App app, RunningWorkload w) { calls.add("kill " + w.monitorPid()); }

    @Override
    public ExitStatus decode(App app, RawExit raw) {
        if (raw.signalled()) return new ExitStatus(raw, null, false, "killed by signal " + raw.signal());
        return switch (raw.code()) {
            case 83 -> new ExitStatus(raw, 0, true, "guest exited 0 via isa-debug-exit");
            case 85 -> new ExitStatus(raw, 1, false, "guest exited 1 via isa-debug-exit");
            case 0 -> new ExitStatus(raw, null, true, "powered off");
            default -> new ExitStatus(raw, null, false, "monitor exited with status " + raw.code());
        };
    }

    @Override public void cleanup(App app, Path dir) { calls.add("cleanup " + dir.getFileName()); }

    @Override public Duration defaultGrace() { return grace; }
}
