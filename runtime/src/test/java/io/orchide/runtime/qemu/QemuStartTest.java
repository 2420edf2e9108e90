package io.orchide.runtime.qemu;

import io.orchide.testkit.HelloKernels;
import io.orchide.model.Accel;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.inspect.TinyImages;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A qemu VM counts as started only once QMP resumed it: real qemu under the real shim. */
class QemuStartTest {
    @TempDir
    Path tmp;
    private final TestShim.Recorder recorder = new TestShim.Recorder();
    private ShimSupervisor supervisor;

    @AfterEach
    void close() {
        if (supervisor != null) supervisor.close();
    }

    private ShimSupervisor supervisor() {
        supervisor = new ShimSupervisor(TestShim.config(tmp.resolve("state"), 1 << 16), recorder);
        return supervisor;
    }

    private QemuDriver driver() {
        return new QemuDriver(Apps.config(tmp.resolve("state"), Accel.TCG), null);
    }

    @Test
    void aQemuThatFailsBeforeTheVmStartsIsALaunchFailureWithItsOwnMessage() throws Exception {
        Path disk = TinyImages.write(tmp.resolve("nanos.img"), TinyImages.bootDisk());
        App app = Apps.app("nanos", Family.NANOS, null, Accel.TCG, disk.toString(), null, List.of(), Map.of(),
                List.of(), List.of());
        Path dir = tmp.resolve("run");
        Launch prepared = driver().prepare(app, dir);
        // what the agent used to pass: qemu refuses it and exits 1, the number a Nanos guest's exit 0 also gives
        List<String> cmd = new ArrayList<>(prepared.command());
        cmd.addAll(List.of("-append", "-v"));
        Launch launch = new Launch(cmd, prepared.env(), prepared.startCheck());
        ShimSupervisor s = supervisor();
        assertThatThrownBy(() -> s.start(launch, dir, dir.resolve("console")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.getMessage())
                        .contains("qemu exited before the VM started")
                        .contains("-append only allowed with -kernel option"));
        assertThat(recorder.of(dir)).as("a monitor that never started has no exit to report").isEmpty();
    }

    /** The aarch64 hello exits as soon as it runs: qemu may close QMP before it answers the agent's cont. */
    @RepeatedTest(3)
    void aGuestThatEndsAtOnceStillCountsAsStarted() throws Exception {
        App app = Apps.hello(Arch.AARCH64, HelloKernels.aarch64(), List.of("exit=5"));
        Path dir = tmp.resolve("run");
        QemuDriver driver = driver();
        supervisor().start(driver.prepare(app, dir), dir, dir.resolve("console"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.of(dir).isEmpty());
        assertThat(driver.decode(app, recorder.of(dir).getFirst().exit()).guestCode()).isEqualTo(5);
    }

    @Test
    void aReAdoptedVmLeftPausedAtStartIsResumedAndWatched() throws Exception {
        App app = Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of("seconds=600"));
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("run"));
        QemuDriver driver = driver();
        // an agent that exec'd qemu and ended before it resumed the VM
        Process qemu = new ProcessBuilder(driver.prepare(app, dir).command()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> java.nio.file.Files.exists(QmpSocket.events(dir)));
            var w = new io.orchide.runtime.RunningWorkload(dir, ProcessHandle.current().pid(), qemu.pid(),
                    java.time.Instant.now());
            driver.adopted(app, w);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> java.nio.file.Files.readString(dir.resolve("console.log")).contains("tick 1"));
            driver.kill(app, w);
            assertThat(qemu.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            qemu.destroyForcibly();
        }
    }

    @Test
    void aVmThatStartedReportsItsGuestsExit() throws Exception {
        App app = Apps.hello(Arch.X86_64, HelloKernels.x86_64(), List.of("exit=3"));
        Path dir = tmp.resolve("run");
        QemuDriver driver = driver();
        Launch launch = driver.prepare(app, dir);
        assertThat(launch.command()).contains("-S");
        supervisor().start(launch, dir, dir.resolve("console"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.of(dir).isEmpty());
        RawExit raw = recorder.of(dir).getFirst().exit();
        ExitStatus status = driver.decode(app, raw);
        assertThat(status.guestCode()).isEqualTo(3);
        assertThat(status.reason()).isEqualTo("guest exited 3 via isa-debug-exit");
    }
}
