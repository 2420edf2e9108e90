package io.orchide.runtime.process;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Monitor;
import io.orchide.model.Mount;
import io.orchide.runtime.DeviceNode;
import io.orchide.runtime.Driver;
import io.orchide.runtime.HostDevice;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.supervise.PidFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a host executable ({@code spec.image}) in a bubblewrap sandbox: new pid, ipc, uts and (empty) network
 * namespaces, the host's /usr and system directories read-only, a private /tmp, inputs bound read-only and outputs
 * read-write at their mount paths, and only the App's environment. {@code resources.memoryMiB} and {@code vcpus}
 * are not enforced: bubblewrap alone has no cgroup limits (use a container for bounded memory). The program counts
 * as started once bwrap built the sandbox and exec'd it ({@link BwrapStart}).
 */
public final class BwrapDriver implements Driver {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> SYSTEM_DIRS = List.of("/lib", "/lib64", "/bin", "/sbin", "/etc");

    private final RuntimeConfig config;

    public BwrapDriver(RuntimeConfig config) {
        this.config = config;
    }

    @Override
    public List<Monitor> monitors() { return List.of(Monitor.BWRAP); }

    @Override
    public List<Probe> probe() {
        Optional<Path> bin = Exec.binary(config, Monitor.BWRAP);
        if (bin.isEmpty()) return List.of(new Probe("bwrap", false, "bwrap not found on PATH", Map.of()));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("binary", bin.get().toString());
        details.put("version", Exec.run(List.of(bin.get().toString(), "--version"), Duration.ofSeconds(5)).firstLine());
        Exec.Result trial = Exec.run(List.of(bin.get().toString(), "--ro-bind", "/", "/", "true"), Duration.ofSeconds(10));
        return List.of(trial.ok()
                ? new Probe("bwrap", true, "namespaces usable; memory limits not enforced", details)
                : new Probe("bwrap", false, "unavailable: " + trial.firstLine(), details));
    }

    @Override
    public Launch prepare(App app, Path dir) throws LaunchException {
        return prepare(app, dir, List.of());
    }

    /** The process sees the devices' nodes in its /dev (bound at their own path there), and no other host device. */
    @Override
    public Launch prepare(App app, Path dir, List<HostDevice> devices) throws LaunchException {
        List<String> deviceBinds = new ArrayList<>();
        for (HostDevice d : devices) {
            for (String node : d.nodes()) {
                DeviceNode.of(node, "spec.resources.accelerators"); // a device node, not any file
                deviceBinds.addAll(List.of("--dev-bind", node, HostDevice.guestPath(node)));
            }
        }
        AppSpec spec = app.spec();
        Path bwrap = Exec.binary(config, Monitor.BWRAP)
                .orElseThrow(() -> new LaunchException("spec.runtime.monitor", "bwrap", "bwrap not found on this host"));
        Path image = executable(spec.image());
        List<String> cmd = new ArrayList<>(List.of(bwrap.toString(), "--unshare-pid", "--unshare-ipc",
                "--unshare-uts", "--unshare-net", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr"));
        for (String d : SYSTEM_DIRS) cmd.addAll(systemDir(Path.of(d)));
        cmd.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        cmd.addAll(deviceBinds);
        cmd.addAll(List.of("--ro-bind", image.toString(), image.toString()));
        for (int i = 0; i < spec.inputs().size(); i++) {
            Mount m = spec.inputs().get(i);
            cmd.addAll(List.of("--ro-bind", hostPath(m, "spec.inputs[" + i + "]", false), guestPath(m, "spec.inputs[" + i + "]")));
        }
        for (int i = 0; i < spec.outputs().size(); i++) {
            Mount m = spec.outputs().get(i);
            cmd.addAll(List.of("--bind", hostPath(m, "spec.outputs[" + i + "]", true), guestPath(m, "spec.outputs[" + i + "]")));
        }
        cmd.addAll(List.of("--chdir", "/", "--clearenv", "--setenv", "PATH", DEFAULT_PATH));
        spec.env().forEach((k, v) -> cmd.addAll(List.of("--setenv", k, v)));
        cmd.add("--");
        cmd.add(image.toString());
        cmd.addAll(spec.args());
        return new Launch(cmd, Map.of(), new BwrapStart(realPath(bwrap), ProcessTree.SYSTEM));
    }

    /** The image as an absolute, real path of an executable regular file (names without '/' looked up on PATH). */
    static Path executable(String image) throws LaunchException {
        if (image == null || image.isBlank()) throw new LaunchException("spec.image", image, "is required");
        Path p = image.contains("/") ? Path.of(image).toAbsolutePath()
                : Exec.which(image).orElseThrow(() -> new LaunchException("spec.image", image, "not found on PATH"));
        try {
            Path real = p.toRealPath();
            if (!Files.isRegularFile(real) || !Files.isExecutable(real)) {
                throw new LaunchException("spec.image", image, "is not an executable file");
            }
            return real;
        } catch (IOException e) {
            throw new LaunchException("spec.image", image, "does not exist", e);
        }
    }

    /** The binary as its process's executable reads, for telling bwrap from the program it starts. */
    private static Path realPath(Path bin) {
        try {
            return bin.toRealPath();
        } catch (IOException e) {
            return bin;
        }
    }

    private static List<String> systemDir(Path d) {
        try {
            if (Files.isSymbolicLink(d)) return List.of("--symlink", Files.readSymbolicLink(d).toString(), d.toString());
        } catch (IOException e) {
            return List.of();
        }
        return Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) ? List.of("--ro-bind", d.toString(), d.toString()) : List.of();
    }

    private static String hostPath(Mount m, String field, boolean create) throws LaunchException {
        if (m.path() == null || m.path().isBlank()) throw new LaunchException(field + ".path", m.path(), "is required");
        Path p = Path.of(m.path()).toAbsolutePath();
        try {
            if (create) Files.createDirectories(p);
        } catch (IOException e) {
            throw new LaunchException(field + ".path", m.path(), "cannot create: " + e.getMessage(), e);
        }
        if (!Files.exists(p)) throw new LaunchException(field + ".path", m.path(), "does not exist");
        return p.toString();
    }

    private static String guestPath(Mount m, String field) throws LaunchException {
        if (m.mountPath() == null || !m.mountPath().startsWith("/") || m.mountPath().contains("/../")
                || m.mountPath().endsWith("/..")) {
            throw new LaunchException(field + ".mountPath", m.mountPath(), "must be an absolute path");
        }
        return m.mountPath();
    }

    @Override
    public void requestStop(App app, RunningWorkload w) {
        signalMonitor(w, false);
    }

    @Override
    public void kill(App app, RunningWorkload w) {
        signalMonitor(w, true);
    }

    /**
     * A stop sends SIGTERM to the sandboxed processes (bwrap would not forward it); a kill ends bwrap with
     * SIGKILL, and the payload, whose parent-death signal bwrap set, dies with it.
     */
    private static void signalMonitor(RunningWorkload w, boolean force) {
        try {
            Optional<PidFile> pid = PidFile.read(w.dir());
            if (pid.isEmpty() || !pid.get().monitorAlive()) return;
        } catch (IOException e) {
            return;
        }
        if (force) {
            ProcessHandle.of(w.monitorPid()).ifPresent(ProcessHandle::destroyForcibly);
        } else {
            ProcessTree.SYSTEM.descendants(w.monitorPid()).forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroy));
        }
    }

    @Override
    public ExitStatus decode(App app, RawExit raw) {
        return ExitDecoder.decode(raw, "bwrap");
    }

    @Override
    public Duration defaultGrace() { return Duration.ofSeconds(5); }
}
