package io.orchide.runtime.solo5;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Monitor;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.Driver;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.inspect.KernelInspection;
import io.orchide.runtime.inspect.Solo5Target;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs MirageOS (Solo5) unikernels under the Solo5 tenders: {@code solo5-hvt} (KVM) and {@code solo5-spt}
 * (seccomp sandbox, no KVM). The image's manifest note says which devices it needs; each is attached from the App's
 * inputs/outputs by name ({@link BlockDevices}). Command: {@code <tender> --mem=<MiB> --block:<name>=<file> ... --
 * <image> <args...>}. Tenders have no graceful shutdown: a stop is SIGTERM, a kill SIGKILL.
 */
public final class Solo5Driver implements Driver {
    private static final Path DEV_KVM = Path.of("/dev/kvm");

    private final RuntimeConfig config;

    public Solo5Driver(RuntimeConfig config) {
        this.config = config;
    }

    @Override
    public List<Monitor> monitors() {
        return List.of(Monitor.SOLO5_HVT, Monitor.SOLO5_SPT);
    }

    /** The tender binary: {@code binaries.<monitor>} from the configuration, else looked up on PATH. */
    public Optional<Path> tender(Monitor m) {
        Optional<Path> configured = config.binary(m);
        if (configured.isPresent()) return configured.filter(Files::isExecutable);
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, m.wire());
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    @Override
    public List<Probe> probe() {
        List<Probe> out = new ArrayList<>();
        for (Monitor m : monitors()) {
            Optional<Path> bin = tender(m);
            if (bin.isEmpty()) {
                out.add(new Probe(m.wire(), false, notFound(m), Map.of()));
                continue;
            }
            Map<String, String> details = new LinkedHashMap<>();
            details.put("binary", bin.get().toString());
            details.put("version", version(bin.get()));
            details.put("arch", Arch.host().wire());
            if (m == Monitor.SOLO5_HVT) {
                Optional<String> kvm = kvmProblem();
                details.put("kvm", kvm.isEmpty() ? "yes" : "no");
                out.add(new Probe(m.wire(), kvm.isEmpty(), kvm.orElse("KVM: /dev/kvm is accessible (no guest was booted to prove more)"), details));
            } else {
                out.add(new Probe(m.wire(), true, "seccomp sandbox, no KVM needed", details));
            }
        }
        return out;
    }

    @Override
    public Launch prepare(App app, Path dir) throws LaunchException {
        AppSpec spec = app.spec();
        RuntimeSpec rt = spec.runtime();
        if (rt == null) throw new LaunchException("spec.runtime", null, "required");
        Monitor m = rt.monitor();
        if (m == null || !m.isSolo5())
            throw new LaunchException("spec.runtime.monitor", String.valueOf(m), "not handled by the solo5 driver");
        if (rt.family() != Family.MIRAGE)
            throw new LaunchException("spec.runtime.family", String.valueOf(rt.family()), "Solo5 tenders run the mirage family only");
        Path tender = tender(m).orElseThrow(() -> new LaunchException("spec.runtime.monitor", m.wire(), notFound(m)));
        Path image = imagePath(spec);
        ElfFile elf;
        Optional<Solo5Manifest> manifest;
        try {
            elf = ElfFile.read(image);
            manifest = Solo5Manifest.of(elf);
        } catch (IOException e) {
            throw new LaunchException("spec.image", spec.image(), "not a Solo5 image: " + e.getMessage(), e);
        }
        Arch arch = elf.arch().orElseThrow(() -> new LaunchException("spec.image", spec.image(),
                "ELF machine " + elf.machine() + " is neither x86_64 nor aarch64"));
        if (rt.arch() != null && rt.arch() != arch)
            throw new LaunchException("spec.runtime.arch", rt.arch().wire(), "the image is built for " + arch);
        if (arch != Arch.host())
            throw new LaunchException("spec.runtime.arch", arch.wire(), m.wire() + " runs only images of the host's architecture ("
                    + Arch.host() + ")");
        checkTarget(image, spec.image(), m);
        if (m == Monitor.SOLO5_HVT) {
            Optional<String> kvm = kvmProblem();
            if (kvm.isPresent()) throw new LaunchException("spec.runtime.monitor", m.wire(), kvm.get() + "; solo5-spt needs no KVM");
        }
        if (manifest.isEmpty())
            throw new LaunchException("spec.image", spec.image(), "no Solo5 manifest (.note.solo5.manifest): not a Solo5 hvt/spt image");
        if (!spec.env().isEmpty())
            throw new LaunchException("spec.env", spec.env().keySet().toString(), "Solo5 unikernels take no environment; pass args");
        if (spec.initrd() != null && !spec.initrd().isBlank())
            throw new LaunchException("spec.initrd", spec.initrd(), "Solo5 tenders take no initrd; use a block device");
        List<BlockDevices.Block> blocks = BlockDevices.attach(manifest.get(), spec, dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(tender.toString());
        cmd.add("--mem=" + spec.resources().memoryMiB());
        for (BlockDevices.Block b : blocks) cmd.add("--block:" + b.name() + "=" + b.file());
        cmd.add("--");
        cmd.add(image.toString());
        cmd.addAll(spec.args());
        return new Launch(cmd, Map.of(), Solo5Start.forArgs(m.wire(), spec.args()));
    }

    @Override
    public void requestStop(App app, RunningWorkload w) {
        ProcessHandle.of(w.monitorPid()).filter(ProcessHandle::isAlive).filter(Solo5Driver::looksLikeTender)
                .ifPresent(ProcessHandle::destroy);
    }

    @Override
    public void kill(App app, RunningWorkload w) {
        ProcessHandle.of(w.monitorPid()).filter(ProcessHandle::isAlive).filter(Solo5Driver::looksLikeTender)
                .ifPresent(ProcessHandle::destroyForcibly);
    }

    @Override
    public ExitStatus decode(App app, RawExit raw) {
        return Solo5Exits.decode(raw);
    }

    /** The manifest of an image, for {@code describe} and tests. */
    public static Optional<Solo5Manifest> manifest(Path image) throws IOException {
        return Solo5Manifest.of(ElfFile.read(image));
    }

    /** Refuses an image whose Solo5 ABI note names another binding than the monitor's (an hvt binary under spt). */
    private static void checkTarget(Path image, String value, Monitor m) throws LaunchException {
        Optional<Solo5Target> target;
        try {
            target = KernelInspection.inspect(image).solo5();
        } catch (IOException e) {
            throw new LaunchException("spec.image", value, "cannot read: " + e.getMessage(), e);
        }
        Solo5Target wanted = m == Monitor.SOLO5_HVT ? Solo5Target.HVT : Solo5Target.SPT;
        if (target.isPresent() && target.get() != wanted)
            throw new LaunchException("spec.runtime.monitor", m.wire(), "the image " + value + " is a Solo5 "
                    + target.get().name().toLowerCase() + " binary (its Solo5 ABI note): it runs under "
                    + target.get().runsOn());
    }

    private static Path imagePath(AppSpec spec) throws LaunchException {
        if (spec.image() == null || spec.image().isBlank()) throw new LaunchException("spec.image", spec.image(), "required");
        Path p = Path.of(spec.image()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) throw new LaunchException("spec.image", spec.image(), "file does not exist on this node");
        if (!Files.isReadable(p)) throw new LaunchException("spec.image", spec.image(), "file is not readable");
        return p;
    }

    private static String notFound(Monitor m) {
        return m.wire() + " not found on PATH or in configuration (orchide node --binary " + m.wire() + "=PATH)";
    }

    private static Optional<String> kvmProblem() {
        if (!Files.exists(DEV_KVM)) return Optional.of("no /dev/kvm on this host");
        if (!Files.isReadable(DEV_KVM) || !Files.isWritable(DEV_KVM))
            return Optional.of("no access to /dev/kvm for this user (kvm group?)");
        return Optional.empty();
    }

    private static boolean looksLikeTender(ProcessHandle p) {
        return p.info().command().map(c -> c.contains("solo5")).orElse(true);
    }

    private static String version(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                String out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
                return out.lines().findFirst().orElse("unknown").strip();
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
