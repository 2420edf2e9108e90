package io.orchide.runtime.qemu;

import io.orchide.model.Accel;
import io.orchide.model.Arch;
import io.orchide.model.Family;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Finds out whether QEMU can use KVM on this host by booting a probe kernel (the hello unikernel: long mode,
 * paging, SSE, local APIC MMIO, isa-debug-exit) under {@code -accel kvm} and under TCG, each with a timeout, and
 * checking the exit code it asked for. Nested KVM may open {@code /dev/kvm} fine and still fail real guests, so
 * nothing short of a boot counts, and a boot proves only what the probe kernel does: the reason says so. KVM is preferred for {@code auto} only when it is not slower to boot than TCG by
 * more than {@link #SLOWER_ALLOWED} (on nested hosts the firmware can take seconds under KVM).
 *
 * <p>The result is cached in {@code <cacheDir>/kvm-<arch>.properties} keyed by the qemu version line and the
 * probe kernel's size, so a new qemu package or probe kernel probes again.
 */
public final class KvmProber {
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration SLOWER_ALLOWED = Duration.ofSeconds(1);
    private static final int PROBE_EXIT = 7;
    private static final Path DEV_KVM = Path.of("/dev/kvm");

    /**
     * @param usable    KVM boots the probe kernel correctly
     * @param preferred usable and not markedly slower to boot than TCG: what {@code auto} picks
     * @param reason    why (not), for doctor and error messages
     */
    public record Result(boolean usable, boolean preferred, String reason, Duration kvmBoot, Duration tcgBoot) {
    }

    private final Path cacheDir;
    private final Path probeKernel;
    private final Map<String, Result> memo = new HashMap<>();

    /** {@code probeKernel} boots on the host architecture and honours {@code exit=N}; null when there is none. */
    public KvmProber(Path cacheDir, Path probeKernel) {
        this.cacheDir = cacheDir;
        this.probeKernel = probeKernel;
    }

    /** Probes (or answers from cache) for a qemu binary of the host's architecture. */
    public synchronized Result probe(Arch hostArch, Path qemu, String qemuVersion) {
        if (!Files.exists(DEV_KVM)) return new Result(false, false, "no /dev/kvm on this host", null, null);
        if (!Files.isReadable(DEV_KVM) || !Files.isWritable(DEV_KVM))
            return new Result(false, false, "no access to /dev/kvm for this user (kvm group?)", null, null);
        if (probeKernel == null || !Files.isReadable(probeKernel))
            return new Result(false, false, "no probe kernel to test KVM with (expected at " + probeKernel
                    + ", built by make -C examples/unikernels/hello)", null, null);
        String key;
        try {
            key = qemuVersion + " | probe " + probeKernel.getFileName() + " " + Files.size(probeKernel) + " | wording 2";
        } catch (IOException e) {
            return new Result(false, false, "cannot read probe kernel: " + e.getMessage(), null, null);
        }
        Result r = memo.get(key);
        if (r == null) r = readCache(hostArch, key);
        if (r == null) {
            r = run(hostArch, qemu);
            writeCache(hostArch, key, r);
        }
        memo.put(key, r);
        return r;
    }

    private Result run(Arch arch, Path qemu) {
        Boot tcg = boot(arch, qemu, Accel.TCG);
        Boot kvm = boot(arch, qemu, Accel.KVM);
        if (!kvm.ok()) return new Result(false, false, "KVM: no (" + kvm.problem() + ")", null, tcg.time());
        boolean slower = tcg.ok() && kvm.time().compareTo(tcg.time().plus(SLOWER_ALLOWED)) > 0;
        return new Result(true, !slower, works(kvm.time(), tcg.ok() ? tcg.time() : null, slower), kvm.time(),
                tcg.ok() ? tcg.time() : null);
    }

    /**
     * What a successful probe shows, said as exactly that: the probe kernel booted, which proves the CPU state it
     * uses and no more. Unikraft enables XSAVE/AVX state at boot, which a nested KVM can fail on (a "KVM internal
     * error" the probe kernel never meets); such a guest's run then ends as failed with that reason.
     */
    static String works(Duration kvm, Duration tcg, boolean slowerThanTcg) {
        String times = String.format("%d ms under KVM, %d ms under TCG", kvm.toMillis(), tcg == null ? -1 : tcg.toMillis());
        return "KVM: boots the probe kernel (" + PROBED + ")" + (slowerThanTcg ? " but slower than TCG here (" + times
                + "), using TCG" : " (" + times + ")") + "; guests that enable more CPU state, such as Unikraft's XSAVE/AVX,"
                + " are not proven by it";
    }

    /** The CPU features the probe kernel exercises. */
    static final String PROBED = "long mode, paging, SSE, local APIC";

    private record Boot(boolean ok, Duration time, String problem) {
    }

    private Boot boot(Arch arch, Path qemu, Accel accel) {
        Path dir = cacheDir.resolve("kvm-probe-" + arch.wire());
        Path log = dir.resolve(accel.wire() + ".log");
        try {
            Files.createDirectories(dir);
            Path socket = QmpSocket.prepare(dir);
            List<String> cmd = new QemuCommand("orchide-kvm-probe", qemu, arch, Family.MULTIBOOT, accel, 64, 1, socket,
                    probeKernel, null, null, List.of(), "exit=" + PROBE_EXIT, null).toList();
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            boolean ended = p.waitFor(BOOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            if (!ended) {
                p.destroyForcibly().waitFor();
                return new Boot(false, took, "no exit within " + BOOT_TIMEOUT.toSeconds() + " s" + tail(log));
            }
            int expected = arch == Arch.X86_64 ? (PROBE_EXIT << 1) | 1 : PROBE_EXIT;
            if (p.exitValue() != expected)
                return new Boot(false, took, "exit status " + p.exitValue() + ", expected " + expected + tail(log));
            return new Boot(true, took, null);
        } catch (IOException e) {
            return new Boot(false, Duration.ZERO, "cannot run " + qemu + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Boot(false, Duration.ZERO, "interrupted");
        }
    }

    /** The most telling line of qemu's output: a KVM error if any, else the last line. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String pick = lines.stream().filter(l -> l.contains("KVM") || l.contains("emulation failure"))
                    .findFirst().orElse(lines.isEmpty() ? "" : lines.getLast());
            return pick.isBlank() ? "" : ": " + pick.strip();
        } catch (IOException e) {
            return "";
        }
    }

    private Path cacheFile(Arch arch) {
        return cacheDir.resolve("kvm-" + arch.wire() + ".properties");
    }

    private Result readCache(Arch arch, String key) {
        Path f = cacheFile(arch);
        if (!Files.isRegularFile(f)) return null;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            return null;
        }
        if (!key.equals(p.getProperty("key"))) return null;
        return new Result(Boolean.parseBoolean(p.getProperty("usable")), Boolean.parseBoolean(p.getProperty("preferred")),
                p.getProperty("reason", "") + " (cached)", millis(p.getProperty("kvmBootMs")), millis(p.getProperty("tcgBootMs")));
    }

    private void writeCache(Arch arch, String key, Result r) {
        Properties p = new Properties();
        p.setProperty("key", key);
        p.setProperty("usable", Boolean.toString(r.usable()));
        p.setProperty("preferred", Boolean.toString(r.preferred()));
        p.setProperty("reason", r.reason());
        if (r.kvmBoot() != null) p.setProperty("kvmBootMs", Long.toString(r.kvmBoot().toMillis()));
        if (r.tcgBoot() != null) p.setProperty("tcgBootMs", Long.toString(r.tcgBoot().toMillis()));
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "kvm-", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "qemu KVM probe result");
            }
            Files.move(tmp, cacheFile(arch), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the probe runs again next time
        }
    }

    private static Duration millis(String s) {
        return s == null ? null : Duration.ofMillis(Long.parseLong(s));
    }
}
