package io.orchide.node.attempt;

import io.orchide.runtime.ExitListener;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.Supervisor;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * A supervisor that starts nothing: it records starts and signals, hands out pids, fails a start on demand, and
 * answers re-adoption from what the test said is left of each run directory.
 */
public final class RecordingSupervisor implements Supervisor {
    public final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    public final Map<Path, RunningWorkload> alive = new HashMap<>();
    public final Map<Path, RawExit> exits = new HashMap<>();
    public volatile String refuseStart;
    /** Runs at each start, before it is recorded: what a test checks at the instant a monitor would start. */
    public volatile Runnable onStart = () -> { };
    private final Clock clock;
    private ExitListener listener = (d, e) -> { };
    private long nextPid = 100;

    public RecordingSupervisor(Clock clock) {
        this.clock = clock;
    }

    public void onExit(ExitListener l) {
        this.listener = l;
    }

    /**
     * Starts of the run directories {@link #held} matches wait (outside the supervisor's lock) until {@link #gate}
     * opens, as a monitor's exec that takes long; {@link #waiting} counts down as each such start begins to wait.
     */
    public volatile Predicate<Path> held = dir -> false;
    public final CountDownLatch gate = new CountDownLatch(1);
    public volatile CountDownLatch waiting = new CountDownLatch(0);

    @Override
    public RunningWorkload start(Launch launch, Path runDir, Path console) throws LaunchException {
        onStart.run();
        if (held.test(runDir)) {
            waiting.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException("interrupted while held");
            }
        }
        return started(runDir);
    }

    private synchronized RunningWorkload started(Path runDir) throws LaunchException {
        calls.add("start " + runDir.getFileName());
        if (refuseStart != null) throw new LaunchException(refuseStart);
        long pid = nextPid++;
        RunningWorkload w = new RunningWorkload(runDir, pid + 1000, pid, clock.instant());
        alive.put(runDir, w);
        return w;
    }

    @Override
    public synchronized Optional<RunningWorkload> adopt(Path runDir) {
        calls.add("adopt " + runDir.getFileName());
        RawExit e = exits.get(runDir);
        if (e != null) {
            listener.exited(runDir, e);
            return Optional.empty();
        }
        return Optional.ofNullable(alive.get(runDir));
    }

    @Override
    public synchronized void signal(RunningWorkload w, int signal) {
        calls.add("signal " + signal + " " + w.monitorPid());
    }

    @Override
    public void close() {
    }
}
