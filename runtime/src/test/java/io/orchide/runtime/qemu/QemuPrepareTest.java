package io.orchide.runtime.qemu;

import io.orchide.testkit.HelloKernels;
import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Monitor;
import io.orchide.model.Mount;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.inspect.TinyImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Host-side checks and command lines of {@link QemuDriver#prepare}. */
class QemuPrepareTest {
    @TempDir
    Path tmp;

    private QemuDriver driver() {
        return new QemuDriver(Apps.config(tmp.resolve("state"), Accel.TCG), null);
    }

    private static void assertField(ThrowingRunnable r, String field, String value) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(LaunchException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            if (value != null) assertThat(e.value()).isEqualTo(value);
        });
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void errorsNameTheField() throws Exception {
        QemuDriver d = driver();
        String k = HelloKernels.x86_64().toString();
        Path dir = tmp.resolve("run");
        assertField(() -> d.prepare(Apps.app("a", Family.MULTIBOOT, Arch.X86_64, Accel.AUTO, "/nope/kernel.elf", null,
                List.of(), Map.of(), List.of(), List.of()), dir), "spec.image", "/nope/kernel.elf");
        assertField(() -> d.prepare(Apps.app("a", Family.MULTIBOOT, Arch.X86_64, Accel.AUTO, k, "/nope/rootfs.cpio",
                List.of(), Map.of(), List.of(), List.of()), dir), "spec.initrd", "/nope/rootfs.cpio");
        assertField(() -> d.prepare(Apps.app("a", Family.MULTIBOOT, Arch.X86_64, Accel.AUTO, k, null, List.of(), Map.of(),
                List.of(new Mount("data", "/nope/in", "/data", 0)), List.of()), dir), "spec.inputs[0].path", "/nope/in");
        assertField(() -> d.prepare(Apps.app("a", Family.MULTIBOOT, Arch.X86_64, Accel.AUTO, k, null, List.of(),
                Map.of("A", "1"), List.of(), List.of()), dir), "spec.env", null);
        assertField(() -> d.prepare(Apps.app("a", Family.CONTAINER, Arch.X86_64, Accel.AUTO, k, null, List.of(), Map.of(),
                List.of(), List.of()), dir), "spec.runtime.family", "container");
        // an x86_64 kernel declared as aarch64
        assertField(() -> d.prepare(Apps.hello(Arch.AARCH64, HelloKernels.x86_64(), List.of()), dir), "spec.runtime.arch", "aarch64");
        // KVM cannot run a foreign architecture
        assertField(() -> d.prepare(Apps.app("a", Family.MULTIBOOT, Arch.AARCH64, Accel.KVM,
                HelloKernels.aarch64().toString(), null, List.of(), Map.of(), List.of(), List.of()), dir),
                "spec.runtime.accel", "kvm");
        // no qemu binary where the configuration points
        QemuDriver noQemu = new QemuDriver(new RuntimeConfig(null, Map.of(Monitor.QEMU, tmp.resolve("no-qemu")),
                Accel.TCG, 0, tmp.resolve("state")), null);
        assertField(() -> noQemu.prepare(Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of()), dir),
                "spec.runtime.arch", "x86_64");
    }

    @Test
    void kvmDemandedWithoutAWorkingProbeIsRefused() throws Exception {
        // no probe kernel: KVM cannot be shown to work, so demanding it fails and auto falls back to TCG
        QemuDriver d = new QemuDriver(Apps.config(tmp.resolve("state"), Accel.AUTO), tmp.resolve("missing-probe.elf"));
        App kvm = Apps.app("a", Family.MULTIBOOT, Arch.X86_64, Accel.KVM, HelloKernels.x86_64().toString(), null,
                List.of(), Map.of(), List.of(), List.of());
        assertField(() -> d.prepare(kvm, tmp.resolve("run")), "spec.runtime.accel", "kvm");
        assertThat(d.prepare(Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of()), tmp.resolve("run")).command())
                .containsSequence("-accel", "tcg");
    }

    /** A Unikraft-like kernel: an x86 ELF with the library-parameter section, or without it. */
    private Path unikraftKernel(boolean libParams) throws Exception {
        return TinyImages.write(tmp.resolve(libParams ? "uk-params.elf" : "uk-plain.elf"), TinyImages.elf(false, 3,
                TinyImages.Section.progbits(".text"), TinyImages.Section.progbits(libParams ? ".uk_libparam_params" : ".data")));
    }

    @Test
    void unikraftCommandLineCarriesEnvFstabAndAppArgs() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out/results");
        Path initrd = Files.writeString(tmp.resolve("rootfs.cpio"), "x");
        App app = Apps.app("uk", Family.UNIKRAFT, Arch.X86_64, Accel.TCG, unikraftKernel(true).toString(),
                initrd.toString(), List.of("--verbose", "two words"), Map.of("B", "2", "A", "x y"),
                List.of(new Mount("scenes", in.toString(), "/data", 0)),
                List.of(new Mount(null, out.toString(), "/out", 0)));
        List<String> cmd = driver().prepare(app, tmp.resolve("run")).command();
        assertThat(cmd).containsSequence("-append", "env.vars=[ A=\"x y\" B=2 ] vfs.fstab=[ \"initrd0:/:extract::\" "
                + "\"scenes:/data:9pfs:::mkmp\" \"fs1:/out:9pfs:::mkmp\" ] -- --verbose \"two words\"");
        assertThat(cmd).containsSequence("-initrd", initrd.toString());
        assertThat(cmd).contains("isa-debug-exit");   // Unikraft's default port 0x501
        assertThat(out).isDirectory();                // outputs are created
    }

    @Test
    void unikraftWithoutLibraryParametersGetsOnlyItsArgs() throws Exception {
        Path k = unikraftKernel(false);
        List<String> cmd = driver().prepare(Apps.app("uk", Family.UNIKRAFT, Arch.X86_64, Accel.TCG, k.toString(), null,
                List.of("hello", "two words"), Map.of(), List.of(), List.of()), tmp.resolve("run")).command();
        assertThat(cmd).containsSequence("-append", "hello \"two words\"");
        assertField(() -> driver().prepare(Apps.app("uk", Family.UNIKRAFT, Arch.X86_64, Accel.TCG, k.toString(), null,
                List.of(), Map.of("A", "1"), List.of(), List.of()), tmp.resolve("run")), "spec.env", "[A]");
    }

    @Test
    void archIsInferredFromTheImageAndAMismatchIsRefused() throws Exception {
        Path arm = HelloKernels.aarch64();
        App noArch = Apps.app("a", Family.MULTIBOOT, null, Accel.AUTO, arm.toString(), null, List.of(), Map.of(),
                List.of(), List.of());
        List<String> cmd = driver().prepare(noArch, tmp.resolve("run")).command();
        assertThat(cmd.getFirst()).endsWith("qemu-system-aarch64");
        assertThat(cmd).containsSequence("-M", "virt");
        // decoded by the image's convention too: semihosting carries the guest's status on aarch64
        assertThat(driver().decode(noArch, new RawExit(3, 0, Instant.EPOCH)).guestCode()).isEqualTo(3);
        Path armImage = TinyImages.write(tmp.resolve("Image"), TinyImages.arm64Image());
        assertField(() -> driver().prepare(Apps.app("l", Family.LINUX, Arch.X86_64, Accel.TCG, armImage.toString(), null,
                List.of(), Map.of(), List.of(), List.of()), tmp.resolve("run")), "spec.runtime.arch", "x86_64");
    }

    @Test
    void aFileOfTheWrongKindIsRefused() throws Exception {
        Path disk = TinyImages.write(tmp.resolve("disk.img"), TinyImages.bootDisk());
        String kernel = HelloKernels.x86_64().toString();
        // nanos boots the disk mkfs writes, not a kernel
        assertField(() -> driver().prepare(Apps.app("n", Family.NANOS, null, Accel.TCG, kernel, null, List.of(), Map.of(),
                List.of(), List.of()), tmp.resolve("run")), "spec.image", kernel);
        assertThat(driver().prepare(Apps.app("n", Family.NANOS, null, Accel.TCG, disk.toString(), null, List.of(),
                Map.of(), List.of(), List.of()), tmp.resolve("run")).command())
                .contains("if=none,id=hd0,format=raw,snapshot=on,file=" + disk).doesNotContain("-kernel", "-append");
        // a disk given to a family that boots a kernel
        assertField(() -> driver().prepare(Apps.app("u", Family.UNIKRAFT, null, Accel.TCG, disk.toString(), null,
                List.of(), Map.of(), List.of(), List.of()), tmp.resolve("run")), "spec.image", disk.toString());
        // osv boots loader.elf with -kernel, or usr.img as a disk; anything else is refused
        assertThat(driver().prepare(Apps.app("o", Family.OSV, null, Accel.TCG, disk.toString(), null, List.of(),
                Map.of(), List.of(), List.of()), tmp.resolve("run")).command()).doesNotContain("-kernel");
        Path text = Files.writeString(tmp.resolve("app.txt"), "not a kernel");
        assertField(() -> driver().prepare(Apps.app("o", Family.OSV, null, Accel.TCG, text.toString(), null, List.of(),
                Map.of(), List.of(), List.of()), tmp.resolve("run")), "spec.image", text.toString());
    }

    @Test
    void diskBootsTakeNoArgumentsAndSayWhere() throws Exception {
        Path disk = TinyImages.write(tmp.resolve("disk.img"), TinyImages.bootDisk());
        assertThatThrownBy(() -> driver().prepare(Apps.app("n", Family.NANOS, null, Accel.TCG, disk.toString(), null,
                List.of("-v"), Map.of(), List.of(), List.of()), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.args");
                    assertThat(e.getMessage()).contains("image's manifest");
                });
        assertThatThrownBy(() -> driver().prepare(Apps.app("n", Family.NANOS, null, Accel.TCG, disk.toString(), null,
                List.of(), Map.of("K", "V"), List.of(), List.of()), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.env");
                    assertThat(e.getMessage()).contains("Env").doesNotContain("pass them as args");
                });
        assertThatThrownBy(() -> driver().prepare(Apps.app("o", Family.OSV, null, Accel.TCG, disk.toString(), null,
                List.of("/hello"), Map.of(), List.of(), List.of()), tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.args");
                    assertThat(e.getMessage()).contains("usr.img").contains("boot loader.elf");
                });
    }

    @Test
    void osvAndLinuxPassEnvTheirWay() throws Exception {
        String k = HelloKernels.x86_64().toString();
        List<String> osv = driver().prepare(Apps.app("o", Family.OSV, Arch.X86_64, Accel.TCG, k, null,
                List.of("/app.so", "-x"), Map.of("K", "V"), List.of(), List.of()), tmp.resolve("r1")).command();
        assertThat(osv).containsSequence("-append", "--env=K=V /app.so -x");
        List<String> linux = driver().prepare(Apps.app("l", Family.LINUX, Arch.X86_64, Accel.TCG, k, null,
                List.of("console=ttyS0", "--", "init-arg"), Map.of("K", "V"), List.of(), List.of()), tmp.resolve("r2")).command();
        assertThat(linux).containsSequence("-append", "console=ttyS0 K=V -- init-arg");
    }

    @Test
    void inputDirectoryIsSharedOver9pAndQemuStarts() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in,put"));
        App app = Apps.app("p", Family.MULTIBOOT, Arch.X86_64, Accel.TCG, HelloKernels.x86_64().toString(), null,
                List.of("message=with-9p"), Map.of(), List.of(new Mount("scenes", in.toString(), "/data", 0)), List.of());
        Path dir = Files.createDirectories(tmp.resolve("run"));
        var launch = driver().prepare(app, dir);
        List<String> cmd = launch.command();
        assertThat(cmd).containsSequence("-fsdev", "local,id=fs0,path=" + in.toString().replace(",", ",,")
                + ",security_model=none,readonly=on", "-device", "virtio-9p-pci,fsdev=fs0,mount_tag=scenes");
        Process p = QemuRun.start(launch, dir);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("console.log"))).contains("with-9p");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void longRunDirectoriesGetAShortQmpSocket() throws Exception {
        Path deep = tmp.resolve("x".repeat(60)).resolve("y".repeat(60));
        Path socket = QmpSocket.of(deep);
        assertThat(socket.toString().length()).isLessThanOrEqualTo(QmpSocket.MAX_PATH_BYTES);
        assertThat(socket).isEqualTo(QmpSocket.of(deep)).isNotEqualTo(QmpSocket.of(deep.resolveSibling("z")));
        assertThat(QmpSocket.of(tmp)).isEqualTo(tmp.resolve("qmp.sock"));
        List<String> cmd = driver().prepare(Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of()), deep).command();
        assertThat(cmd).contains("unix:" + socket + ",server=on,wait=off");
    }
}
