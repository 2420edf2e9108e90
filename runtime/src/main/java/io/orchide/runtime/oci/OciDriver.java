package io.orchide.runtime.oci;

import io.orchide.model.App;
import io.orchide.model.Monitor;
import io.orchide.runtime.DeviceNode;
import io.orchide.runtime.Driver;
import io.orchide.runtime.HostDevice;
import io.orchide.runtime.JsonFiles;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.process.ExitDecoder;
import io.orchide.runtime.process.Exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs an App as an OCI container with runc or crun in the foreground ({@code run}, not {@code create/start}), so
 * the runtime process is the monitor under the shim and its exit status is the container's. The generated bundle
 * lives at {@code <run dir>/bundle}; container state under {@code <stateDir>/<runc|crun>}; the container id is
 * derived from the run directory ({@link ContainerId}). The container counts as started once the runtime wrote its
 * pid file ({@link OciStart}): a runtime that fails before that is a launch failure with its own output as the reason.
 */
public final class OciDriver implements Driver {
    private static final System.Logger LOG = System.getLogger(OciDriver.class.getName());
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final RuntimeConfig config;
    private final Monitor monitor;

    public OciDriver(RuntimeConfig config, Monitor monitor) {
        if (!monitor.isOci()) throw new IllegalArgumentException("not an OCI runtime: " + monitor);
        this.config = config;
        this.monitor = monitor;
    }

    @Override
    public List<Monitor> monitors() { return List.of(monitor); }

    @Override
    public List<Probe> probe() {
        return List.of(OciProbe.probe(monitor, Exec.binary(config, monitor), config.stateDir()));
    }

    /** The runtime's state root, kept apart from other users of the same binary. */
    public Path stateRoot() { return config.stateDir().resolve(monitor.wire()); }

    @Override
    public Launch prepare(App app, Path dir) throws LaunchException {
        return prepare(app, dir, List.of());
    }

    /** The container gets the devices' nodes, each allowed by its device cgroup rule ({@link OciSpec}). */
    @Override
    public Launch prepare(App app, Path dir, List<HostDevice> devices) throws LaunchException {
        List<DeviceNode> nodes = new ArrayList<>();
        for (HostDevice d : devices) {
            for (String node : d.nodes()) nodes.add(DeviceNode.of(node, "spec.resources.accelerators"));
        }
        Path bin = Exec.binary(config, monitor).orElseThrow(() ->
                new LaunchException("spec.runtime.monitor", monitor.wire(), monitor.wire() + " not found on this host"));
        Path bundle = dir.toAbsolutePath().resolve("bundle");
        String id = ContainerId.of(dir);
        try {
            Files.createDirectories(bundle);
            Files.createDirectories(stateRoot());
        } catch (IOException e) {
            throw new LaunchException(null, bundle.toString(), "cannot create bundle: " + e.getMessage(), e);
        }
        RootfsSource source = RootfsSource.of(app, bundle);
        Map<String, Object> spec = OciSpec.build(app, source.rootfs(), source.image(), id, nodes);
        try {
            JsonFiles.write(bundle.resolve("config.json"), spec, true);
        } catch (IOException e) {
            throw new LaunchException(null, bundle.toString(), "cannot write config.json: " + e.getMessage(), e);
        }
        Path pidFile = OciStart.pidFile(dir);
        try {
            Files.deleteIfExists(pidFile); // it belongs to the run that wrote it
        } catch (IOException e) {
            throw new LaunchException(null, pidFile.toString(), "cannot remove an earlier pid file: " + e.getMessage(), e);
        }
        return new Launch(List.of(bin.toString(), "--root", stateRoot().toString(), "run", "--bundle",
                bundle.toString(), "--pid-file", pidFile.toString(), id), Map.of(), new OciStart(monitor.wire()));
    }

    @Override
    public void requestStop(App app, RunningWorkload w) {
        runtime("kill", ContainerId.of(w.dir()), "TERM");
    }

    @Override
    public void kill(App app, RunningWorkload w) {
        runtime("kill", ContainerId.of(w.dir()), "KILL");
    }

    @Override
    public ExitStatus decode(App app, RawExit raw) {
        return ExitDecoder.decode(raw, monitor.wire());
    }

    @Override
    public void cleanup(App app, Path dir) {
        runtime("delete", "--force", ContainerId.of(dir));
    }

    /** Runs a runtime subcommand; failures (container not running, already deleted) are logged, not thrown. */
    private Exec.Result runtime(String... args) {
        Path bin = Exec.binary(config, monitor).orElse(Path.of(monitor.wire()));
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString(), "--root", stateRoot().toString()));
        cmd.addAll(List.of(args));
        Exec.Result r = Exec.run(cmd, COMMAND_TIMEOUT);
        if (!r.ok()) LOG.log(System.Logger.Level.DEBUG, () -> String.join(" ", cmd) + ": " + r.firstLine());
        return r;
    }
}
