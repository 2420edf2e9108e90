package io.orchide.runtime.qemu;

import io.orchide.testkit.HelloKernels;
import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A guest that KVM cannot run ends as failed with the hypervisor's error, instead of staying "running" in a qemu
 * that keeps the stopped VM forever. Runs where qemu can use KVM (the probe boots).
 */
class HypervisorErrorTest {
    /** Shared across runs: the KVM probe boots a kernel under KVM and TCG, which takes seconds on nested hosts. */
    private static final Path PROBE_CACHE = Path.of("target", "kvm-probe-cache").toAbsolutePath();
    @TempDir
    Path tmp;
    private final TestShim.Recorder recorder = new TestShim.Recorder();
    private ShimSupervisor supervisor;

    @AfterEach
    void close() {
        if (supervisor != null) supervisor.close();
    }

    private Path mmioKernel() throws Exception {
        for (String f : List.of("mmio.S", "link.ld")) {
            try (InputStream in = getClass().getResourceAsStream("/kvm/" + f)) {
                Files.write(tmp.resolve(f), in.readAllBytes());
            }
        }
        Path out = tmp.resolve("mmio.elf");
        Process p = new ProcessBuilder("gcc", "-m32", "-nostdlib", "-static", "-no-pie", "-Wl,--build-id=none",
                "-T", tmp.resolve("link.ld").toString(), "-o", out.toString(), tmp.resolve("mmio.S").toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("gcc: " + log).isTrue();
        return out;
    }

    @Test
    void aKvmInternalErrorEndsTheRunAsFailedWithThatReason() throws Exception {
        assumeTrue(Arch.host() == Arch.X86_64, "the crafted kernel is x86");
        RuntimeConfig config = new RuntimeConfig(TestShim.path(), Map.of(), Accel.AUTO, 1 << 16, PROBE_CACHE);
        QemuDriver driver = new QemuDriver(config, HelloKernels.x86_64());
        assumeTrue(driver.kvm(Arch.X86_64).usable(), "qemu cannot use KVM here");
        App app = Apps.app("mmio", Family.MULTIBOOT, Arch.X86_64, Accel.KVM, mmioKernel().toString(), null,
                List.of(), Map.of(), List.of(), List.of());
        Path dir = tmp.resolve("run");
        supervisor = new ShimSupervisor(config, recorder);
        supervisor.start(driver.prepare(app, dir), dir, dir.resolve("console"));
        await().atMost(Duration.ofSeconds(60)).until(() -> !recorder.of(dir).isEmpty());
        ExitStatus status = driver.decode(app, recorder.of(dir).getFirst().exit());
        assertThat(status.reason()).startsWith("hypervisor error: internal-error");
        assertThat(status.success()).isFalse();
        assertThat(status.guestCode()).isNull();
        assertThat(Files.readString(dir.resolve("console"))).contains("KVM internal error");
    }
}
