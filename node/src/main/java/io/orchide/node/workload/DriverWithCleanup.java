package io.orchide.node.workload;

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
import java.util.List;
import java.util.function.Consumer;

/**
 * A driver whose {@link #cleanup} also releases something the node itself set up for the run (a workload's secret
 * files): the engine cleans up every attempt through its driver, whether this agent started it or adopted it.
 */
final class DriverWithCleanup implements Driver {
    private final Driver driver;
    private final Consumer<Path> also;

    DriverWithCleanup(Driver driver, Consumer<Path> also) {
        this.driver = driver;
        this.also = also;
    }

    @Override public List<Monitor> monitors() { return driver.monitors(); }

    @Override public List<Probe> probe() { return driver.probe(); }

    @Override public Launch prepare(App app, Path dir) throws LaunchException { return driver.prepare(app, dir); }

    @Override
    public Launch prepare(App app, Path dir, List<io.orchide.runtime.HostDevice> devices) throws LaunchException {
        return driver.prepare(app, dir, devices);
    }

    @Override public void requestStop(App app, RunningWorkload w) { driver.requestStop(app, w); }

    @Override public void kill(App app, RunningWorkload w) { driver.kill(app, w); }

    @Override public ExitStatus decode(App app, RawExit raw) { return driver.decode(app, raw); }

    @Override public void adopted(App app, RunningWorkload w) { driver.adopted(app, w); }

    @Override
    public void cleanup(App app, Path dir) {
        try {
            driver.cleanup(app, dir);
        } finally {
            also.accept(dir);
        }
    }

    @Override public Duration defaultGrace() { return driver.defaultGrace(); }
}
