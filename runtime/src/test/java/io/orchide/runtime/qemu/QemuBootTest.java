package io.orchide.runtime.qemu;

import io.orchide.testkit.HelloKernels;
import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.RawExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Boots the hello unikernel on both architectures with the command lines the driver prepares. */
class QemuBootTest {
    @TempDir
    Path tmp;

    private record Run(String console, int status, long millis) {
    }

    private Run run(Launch launch, Path dir) throws Exception {
        Path console = dir.resolve("console.log");
        long t0 = System.nanoTime();
        Process p = QemuRun.start(launch, dir);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("qemu ended").isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return new Run(Files.readString(console, StandardCharsets.UTF_8), p.exitValue(), ms);
    }

    @Test
    void x86_64HelloPrintsTicksAndExitsWithItsCode() throws Exception {
        QemuDriver driver = new QemuDriver(Apps.config(tmp.resolve("state"), Accel.AUTO), null);
        App app = Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of("message=hello orbit", "seconds=1", "exit=3"));
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Launch launch = driver.prepare(app, dir);
        assertThat(launch.command()).contains("-accel", "tcg", "-M", "pc", "-append", "message=\"hello orbit\" seconds=1 exit=3");

        Run r = run(launch, dir);
        assertThat(r.console()).contains("orchide hello: cmdline=message=\"hello orbit\" seconds=1 exit=3",
                "hello orbit", "tick 1", "orchide hello: exit 3");
        assertThat(r.status()).isEqualTo(7);
        ExitStatus s = driver.decode(app, new RawExit(r.status(), 0, Instant.now()));
        assertThat(s.guestCode()).isEqualTo(3);
        assertThat(s.success()).isFalse();
    }

    @Test
    void x86_64ExitZeroIsAPowerOff() throws Exception {
        QemuDriver driver = new QemuDriver(Apps.config(tmp.resolve("state"), Accel.TCG), null);
        App app = Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of("message=bye"));
        Path dir = Files.createDirectories(tmp.resolve("run0"));
        Run r = run(driver.prepare(app, dir), dir);
        System.out.println("x86_64 hello boot to exit under TCG: " + r.millis() + " ms");
        assertThat(r.console()).contains("bye", "orchide hello: exit 0");
        ExitStatus s = driver.decode(app, new RawExit(r.status(), 0, Instant.now()));
        assertThat(s.success()).isTrue();
        assertThat(s.guestCode()).isZero();
    }

    @Test
    void aarch64HelloExitsThroughSemihosting() throws Exception {
        QemuDriver driver = new QemuDriver(Apps.config(tmp.resolve("state"), Accel.AUTO), null);
        App app = Apps.hello(Arch.AARCH64, HelloKernels.aarch64(), List.of("message=\"two words\"", "seconds=1", "exit=5"));
        Path dir = Files.createDirectories(tmp.resolve("run-arm"));
        Launch launch = driver.prepare(app, dir);
        assertThat(launch.command()).contains("-M", "virt", "-cpu", "cortex-a57", "-semihosting", "-accel", "tcg");
        assertThat(launch.command()).doesNotContain("isa-debug-exit,iobase=0xf4,iosize=0x04");

        Run r = run(launch, dir);
        System.out.println("aarch64 hello (seconds=1) under TCG: " + r.millis() + " ms");
        assertThat(r.console()).contains("orchide hello: cmdline=message=\"two words\" seconds=1 exit=5",
                "two words", "tick 1", "orchide hello: exit 5");
        ExitStatus s = driver.decode(app, new RawExit(r.status(), 0, Instant.now()));
        assertThat(s.guestCode()).isEqualTo(5);
        assertThat(s.success()).isFalse();
    }
}
