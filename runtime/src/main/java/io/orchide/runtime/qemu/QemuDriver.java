package io.orchide.runtime.qemu;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Monitor;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.Driver;
import io.orchide.runtime.HostDevice;
import io.orchide.runtime.ExitCause;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs unikernels and freestanding kernels under QEMU (x86_64 and aarch64 guests): multiboot, unikraft, osv,
 * nanos, linux and mirage (Solo5 virtio) images. Checks the image against the family and infers the guest's
 * architecture from it ({@link ImageCheck}); chooses KVM or TCG per launch ({@link AccelPolicy}, {@link KvmProber});
 * starts the VM paused and counts it as started once QMP resumed it ({@link QmpStart}), then ends it when the
 * hypervisor stops it on an error ({@link HypervisorWatch}); stops through QMP on a unix socket derived from the
 * run directory ({@link QmpSocket}); decodes exits per family ({@link ExitConventions}).
 */
public final class QemuDriver implements Driver {
    static final Set<Family> FAMILIES =
            EnumSet.of(Family.MULTIBOOT, Family.UNIKRAFT, Family.OSV, Family.NANOS, Family.LINUX, Family.MIRAGE);
    static final Duration QMP_TIMEOUT = Duration.ofSeconds(2);
    /** The exit cause of a VM the node ended with {@link #kill}. */
    static final String KILLED = "killed: the node ended the VM (QMP quit)";
    private static final System.Logger LOG = System.getLogger(QemuDriver.class.getName());

    private final RuntimeConfig config;
    private final QemuBinaries binaries;
    private final Vfio vfio = Vfio.host();
    private final KvmProber prober;

    /**
     * Uses {@code <stateDir>/qemu/kvm-probe-<host arch>.elf} as the KVM probe kernel: the hello unikernel, which
     * this jar carries for the host architecture and installs there.
     */
    public QemuDriver(RuntimeConfig config) {
        this(config, installProbeKernel(stateDir(config).resolve("kvm-probe-" + hostArch().wire() + ".elf")));
    }

    /** Classpath resource of the probe kernel for {@code arch}, built from examples/unikernels/hello. */
    public static String probeKernelResource(Arch arch) {
        return "/io/orchide/runtime/qemu/probe/hello-" + arch.wire() + ".elf";
    }

    private static Path installProbeKernel(Path target) {
        return io.orchide.runtime.BundledFile.install(probeKernelResource(hostArch()), target, false).orElse(target);
    }

    /** {@code probeKernel}: the hello unikernel for the host's architecture, or null to never use KVM under {@code auto}. */
    public QemuDriver(RuntimeConfig config, Path probeKernel) {
        this.config = config;
        this.binaries = new QemuBinaries(config);
        this.prober = new KvmProber(stateDir(config), probeKernel);
    }

    @Override
    public List<Monitor> monitors() {
        return List.of(Monitor.QEMU);
    }

    @Override
    public List<Probe> probe() {
        List<Probe> out = new ArrayList<>();
        for (Arch arch : Arch.values()) {
            String name = "qemu " + arch.wire();
            Optional<Path> bin = binaries.find(arch);
            if (bin.isEmpty()) {
                out.add(new Probe(name, false, QemuBinaries.name(arch)
                        + " not found on PATH or in configuration (apt-get install qemu-system-x86 qemu-system-arm, or orchide node --binary qemu=PATH)", Map.of()));
                continue;
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("binary", bin.get().toString());
            String version;
            try {
                version = QemuBinaries.version(bin.get());
            } catch (IOException e) {
                out.add(new Probe(name, false, e.getMessage(), details));
                continue;
            }
            details.put("version", version);
            String summary;
            if (arch == hostArch()) {
                KvmProber.Result r = prober.probe(arch, bin.get(), version);
                details.put("kvm", r.usable() ? "yes" : "no");
                details.put("kvmReason", r.reason());
                details.put("auto", r.preferred() ? "kvm" : "tcg");
                summary = r.reason();
            } else {
                details.put("kvm", "no");
                details.put("kvmReason", "guest architecture differs from the host's");
                details.put("auto", "tcg");
                summary = "TCG only (" + arch + " guest on a " + hostArch() + " host)";
            }
            out.add(new Probe(name, true, summary, details));
        }
        return out;
    }

    @Override
    public Launch prepare(App app, Path dir) throws LaunchException {
        return prepare(app, dir, List.of());
    }

    /** The guest gets each device through VFIO where the host allows it, else the launch is refused ({@link Vfio}). */
    @Override
    public Launch prepare(App app, Path dir, List<HostDevice> devices) throws LaunchException {
        List<String> passthrough = devices.isEmpty() ? List.of() : vfio.arguments(devices);
        AppSpec spec = app.spec();
        RuntimeSpec rt = spec.runtime();
        if (rt == null) throw new LaunchException("spec.runtime", null, "required");
        if (rt.monitor() != Monitor.QEMU)
            throw new LaunchException("spec.runtime.monitor", String.valueOf(rt.monitor()), "not handled by the qemu driver");
        if (!FAMILIES.contains(rt.family()))
            throw new LaunchException("spec.runtime.family", String.valueOf(rt.family()), "qemu runs " + FAMILIES);
        Path image = ImageCheck.readableFile(spec.image(), "spec.image");
        ImageCheck.Boot boot = ImageCheck.boot(image, spec.image(), rt.family(), rt.arch());
        Arch arch = boot.arch();
        Path bin = binaries.find(arch).orElseThrow(() -> new LaunchException("spec.runtime.arch", arch.wire(),
                QemuBinaries.name(arch) + " not found on PATH or in configuration (apt-get install qemu-system-x86 qemu-system-arm, or orchide node --binary qemu=PATH)"));
        Path initrd = spec.initrd() == null || spec.initrd().isBlank() ? null
                : ImageCheck.readableFile(spec.initrd(), "spec.initrd");
        var res = spec.resources();
        if (res.memoryMiB() < 1)
            throw new LaunchException("spec.resources.memoryMiB", Integer.toString(res.memoryMiB()), "must be at least 1");
        if (res.vcpus() < 1)
            throw new LaunchException("spec.resources.vcpus", Integer.toString(res.vcpus()), "must be at least 1");
        List<SharedDir> dirs = SharedDirs.resolve(spec, rt.family());
        if (boot.isDisk() && initrd != null)
            throw new LaunchException("spec.initrd", spec.initrd(), "the image boots as a disk, which takes no initrd");
        String append = KernelCmdline.build(spec, rt.family(), dirs, boot.kernel().hasUnikraftLibParams(), boot.isDisk());
        AccelPolicy.Choice accel = AccelPolicy.choose(config.accel(), rt.accel(), arch, hostArch(),
                () -> kvmFor(arch, bin));
        Path socket;
        try {
            Files.createDirectories(dir);
            socket = QmpSocket.prepare(dir);
        } catch (IOException e) {
            throw new LaunchException(null, null, "cannot prepare run directory " + dir + ": " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} ({2})", app.name(), accel.accel(), accel.reason());
        QemuCommand cmd = new QemuCommand(app.name(), bin, arch, rt.family(), accel.accel(), res.memoryMiB(),
                res.vcpus(), socket, image, boot.diskFormat(), initrd, dirs, append, QmpSocket.events(dir));
        List<String> args = new ArrayList<>(cmd.toList());
        args.addAll(passthrough);
        return new Launch(args, Map.of(), new QmpStart());
    }

    @Override
    public void requestStop(App app, RunningWorkload w) {
        try (QmpClient qmp = QmpClient.connect(QmpSocket.of(w.dir()), QMP_TIMEOUT)) {
            qmp.execute("system_powerdown");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "system_powerdown for {0} not delivered (VM gone?): {1}",
                    app.name(), e.getMessage());
        }
    }

    /**
     * Quits qemu through QMP, else SIGKILLs it. qemu exits 0 on {@code quit}, the status of a guest that powered
     * off, so the kill is recorded as the exit's cause first: it is never decoded as a power off.
     */
    @Override
    public void kill(App app, RunningWorkload w) {
        try {
            if (ProcessHandle.of(w.monitorPid()).map(ProcessHandle::isAlive).orElse(false)) ExitCause.write(w.dir(), KILLED);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the kill of {0}: {1}", app.name(), e.getMessage());
        }
        try (QmpClient qmp = QmpClient.connect(QmpSocket.of(w.dir()), QMP_TIMEOUT)) {
            qmp.quit();
            return;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "QMP quit for {0} failed, sending SIGKILL: {1}", app.name(), e.getMessage());
        }
        ProcessHandle.of(w.monitorPid()).filter(ProcessHandle::isAlive).filter(QemuDriver::looksLikeQemu)
                .ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public ExitStatus decode(App app, RawExit raw) {
        return ExitConventions.decode(app.spec().runtime().family(), archOf(app), raw);
    }

    /** Watches a VM the agent re-adopted for hypervisor errors again, and resumes it if it was left paused at start. */
    @Override
    public void adopted(App app, RunningWorkload w) {
        QmpStart.readopt(w.dir());
    }

    @Override
    public void cleanup(App app, Path dir) {
        try {
            Files.deleteIfExists(QmpSocket.events(dir));
            Files.deleteIfExists(QmpSocket.of(dir));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot remove QMP socket of {0}: {1}", dir, e.getMessage());
        }
    }

    /** The KVM probe result for qemu of {@code arch} (the host's): for doctor and tests. */
    public KvmProber.Result kvm(Arch arch) throws LaunchException {
        Path bin = binaries.find(arch).orElseThrow(() -> new LaunchException("spec.runtime.arch", arch.wire(),
                QemuBinaries.name(arch) + " not found"));
        return kvmFor(arch, bin);
    }

    private KvmProber.Result kvmFor(Arch arch, Path bin) {
        try {
            return prober.probe(arch, bin, QemuBinaries.version(bin));
        } catch (IOException e) {
            return new KvmProber.Result(false, false, "KVM: no (" + e.getMessage() + ")", null, null);
        }
    }

    private static boolean looksLikeQemu(ProcessHandle p) {
        return p.info().command().map(c -> c.contains("qemu")).orElse(true);
    }

    /** The App's architecture, else its image's (as prepare inferred it), else the host's. */
    private static Arch archOf(App app) {
        return ImageCheck.archOf(app.spec().runtime().arch(), app.spec().image());
    }

    private static Arch hostArch() {
        return Arch.host();
    }

    private static Path stateDir(RuntimeConfig config) {
        Path base = config.stateDir() != null ? config.stateDir()
                : Path.of(System.getProperty("java.io.tmpdir"), "orchide-runtime");
        return base.resolve("qemu");
    }
}
