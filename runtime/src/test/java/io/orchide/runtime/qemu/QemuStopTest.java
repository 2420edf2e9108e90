package io.orchide.runtime.qemu;

import io.orchide.testkit.HelloKernels;
import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.runtime.ExitCause;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stopping long-running VMs through QMP, and killing them when QMP is gone. */
class QemuStopTest {
    @TempDir
    Path tmp;
    private Process process;

    @AfterEach
    void reap() {
        if (process != null) process.destroyForcibly();
    }

    private RunningWorkload start(QemuDriver driver, App app, Path dir) throws Exception {
        var launch = driver.prepare(app, dir);
        process = QemuRun.start(launch, dir);
        RunningWorkload w = new RunningWorkload(dir, ProcessHandle.current().pid(), process.pid(), Instant.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(dir.resolve("console.log")).contains("tick 1"));
        try (QmpClient qmp = QmpClient.connect(QmpSocket.of(dir), Duration.ofSeconds(2))) {
            assertThat(qmp.execute("query-status")).contains("running");
        }
        return w;
    }

    private QemuDriver driver() {
        return new QemuDriver(Apps.config(tmp.resolve("state"), Accel.TCG), null);
    }

    @Test
    void requestStopThenKillAfterGrace() throws Exception {
        QemuDriver driver = driver();
        App app = Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of("seconds=600", "exit=4"));
        Path dir = Files.createDirectories(tmp.resolve("run"));
        RunningWorkload w = start(driver, app, dir);

        driver.requestStop(app, w);
        if (!process.waitFor(5, TimeUnit.SECONDS)) driver.kill(app, w);   // the supervisor's escalation
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(w.monitorPid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        // the hello kernel honours the ACPI power button: a graceful power off
        assertThat(Files.readString(dir.resolve("console.log"))).contains("orchide hello: stop requested");
        ExitStatus s = driver.decode(app, new RawExit(process.exitValue(), 0, Instant.now()));
        assertThat(s.success()).isTrue();

        driver.requestStop(app, w);   // already gone: no exception
        driver.kill(app, w);
        driver.cleanup(app, dir);
        assertThat(QmpSocket.of(dir)).doesNotExist();
    }

    @Test
    void aarch64RequestStopUsesThePowerKey() throws Exception {
        QemuDriver driver = driver();
        App app = Apps.hello(Arch.AARCH64, HelloKernels.aarch64(), List.of("seconds=600"));
        Path dir = Files.createDirectories(tmp.resolve("run-arm"));
        RunningWorkload w = start(driver, app, dir);
        driver.requestStop(app, w);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void killQuitsThroughQmp() throws Exception {
        QemuDriver driver = driver();
        App app = Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of("seconds=600"));
        Path dir = Files.createDirectories(tmp.resolve("run-kill"));
        RunningWorkload w = start(driver, app, dir);
        driver.kill(app, w);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(dir.resolve("console.log"))).doesNotContain("stop requested");
        // qemu exits 0 on quit, as for a power off: the kill is what the exit says, with no guest code
        assertThat(process.exitValue()).isZero();
        ExitStatus s = driver.decode(app, new RawExit(0, 0, Instant.now(), ExitCause.read(dir)));
        assertThat(s.guestCode()).isNull();
        assertThat(s.success()).isFalse();
        assertThat(s.reason()).isEqualTo(QemuDriver.KILLED);
    }

    @Test
    void killFallsBackToSigkillWithoutQmp() throws Exception {
        QemuDriver driver = driver();
        App app = Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of("seconds=600"));
        Path dir = Files.createDirectories(tmp.resolve("run-nosock"));
        RunningWorkload w = start(driver, app, dir);
        Files.delete(QmpSocket.of(dir));   // QMP unreachable
        driver.kill(app, w);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(128 + 9);
        ExitStatus s = driver.decode(app, new RawExit(0, 9, Instant.now()));
        assertThat(s.success()).isFalse();
        assertThat(s.reason()).isEqualTo("killed by signal 9");
    }
}
