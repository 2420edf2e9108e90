package io.orchide.runtime.oci;

import io.orchide.testkit.BusyboxRootfs;
import io.orchide.testkit.OciLayoutBuilder;
import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Metadata;
import io.orchide.model.Monitor;
import io.orchide.model.Mount;
import io.orchide.model.Resources;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.supervise.ConsoleRing;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class OciDriverTest {
    @TempDir
    Path tmp;

    private final TestShim.Recorder recorder = new TestShim.Recorder();
    private final List<Runnable> cleanups = new ArrayList<>();
    private RuntimeConfig config;
    private ShimSupervisor supervisor;

    @BeforeEach
    void setUp() {
        config = TestShim.config(tmp.resolve("state"), 1 << 16);
        supervisor = new ShimSupervisor(config, recorder);
    }

    @AfterEach
    void tearDown() {
        cleanups.forEach(Runnable::run);
        supervisor.close();
    }

    private static App app(String image, Monitor monitor, List<String> args, int memoryMiB,
                           List<Mount> inputs, List<Mount> outputs) {
        return new App(new Metadata("box", null, null), new AppSpec(image, null,
                new RuntimeSpec(Family.CONTAINER, monitor, Arch.host(), null), args, Map.of("GREETING", "hello"),
                new Resources(1, memoryMiB, null), null, inputs, outputs));
    }

    private RawExit run(OciDriver driver, App app, Path dir) throws Exception {
        Launch launch = driver.prepare(app, dir);
        cleanups.add(() -> driver.cleanup(app, dir));
        supervisor.start(launch, dir, dir.resolve("console"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.of(dir).isEmpty());
        return recorder.of(dir).getFirst().exit();
    }

    @Test
    void runcRunsABusyboxContainerWithLimitsAndMounts() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(in.resolve("data.txt"), "payload");
        Path out = tmp.resolve("out");
        String script = "echo $GREETING; "
                + "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; "
                + "cat /in/data.txt; echo; "
                + "if touch /in/x 2>/dev/null; then echo in-writable; else echo in-readonly; fi; "
                + "echo result > /out/result.txt; exit 3";
        App app = app(rootfs.toString(), Monitor.RUNC, List.of("/bin/sh", "-c", script), 48,
                List.of(new Mount("in", in.toString(), "/in", 0)), List.of(new Mount("out", out.toString(), "/out", 0)));
        OciDriver driver = new OciDriver(config, Monitor.RUNC);
        Path dir = tmp.resolve("run");

        long t0 = System.nanoTime();
        RawExit exit = run(driver, app, dir);
        System.out.printf("runc container start-to-exit: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        ExitStatus status = driver.decode(app, exit);
        assertThat(status.guestCode()).isEqualTo(3);
        assertThat(status.success()).isFalse();
        assertThat(ConsoleRing.tail(dir.resolve("console"), 10))
                .containsExactly("hello", Long.toString(48L * 1024 * 1024), "payload", "in-readonly");
        assertThat(out.resolve("result.txt")).hasContent("result");
        assertThat(dir.resolve("bundle/config.json")).exists();
    }

    @Test
    void runcThatCannotStartTheContainerIsALaunchFailureWithItsOutput() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        App app = app(rootfs.toString(), Monitor.RUNC, List.of("/bin/no-such-program"), 16, List.of(), List.of());
        OciDriver driver = new OciDriver(config, Monitor.RUNC);
        Path dir = tmp.resolve("run");
        Launch launch = driver.prepare(app, dir);
        cleanups.add(() -> driver.cleanup(app, dir));

        assertThatThrownBy(() -> supervisor.start(launch, dir, dir.resolve("console")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.reason())
                        .startsWith("runc exited before the container started: ")
                        .contains("/bin/no-such-program"));
        assertThat(recorder.of(dir)).as("no container exit is reported").isEmpty();
    }

    @Test
    void rootfsThroughASymlinkedFolderRuns() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        BusyboxRootfs.create(real.resolve("rootfs"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        App app = app(link.resolve("rootfs").toString(), Monitor.RUNC, List.of("/bin/sh", "-c", "echo $GREETING"),
                16, List.of(), List.of());
        OciDriver driver = new OciDriver(config, Monitor.RUNC);
        Path dir = tmp.resolve("run");

        assertThat(driver.decode(app, run(driver, app, dir)).success()).isTrue();
        assertThat(ConsoleRing.tail(dir.resolve("console"), 5)).containsExactly("hello");
    }

    @Test
    void killedContainerDecodesTheSignal() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        App app = app(rootfs.toString(), Monitor.RUNC, List.of("/bin/sleep", "60"), 16, List.of(), List.of());
        OciDriver driver = new OciDriver(config, Monitor.RUNC);
        Path dir = tmp.resolve("run");
        Launch launch = driver.prepare(app, dir);
        cleanups.add(() -> driver.cleanup(app, dir));
        RunningWorkload w = supervisor.start(launch, dir, dir.resolve("console"));
        // the container exists once runc has started it; kill until it has
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            driver.kill(app, w);
            return !recorder.of(dir).isEmpty();
        });
        ExitStatus status = driver.decode(app, recorder.of(dir).getFirst().exit());
        assertThat(status.reason()).isEqualTo("killed by signal 9");
        assertThat(status.success()).isFalse();
    }

    @Test
    void imageLayoutRunsItsEntrypoint() throws Exception {
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        new OciLayoutBuilder(layout).config("Entrypoint", List.of("/bin/busybox", "echo"))
                .config("Cmd", List.of("from", "layout"))
                .gzipLayer().file("bin/busybox", Files.readAllBytes(BusyboxRootfs.BUSYBOX), 0755).done().build();
        App app = app(layout.toString(), Monitor.RUNC, List.of(), 16, List.of(), List.of());
        OciDriver driver = new OciDriver(config, Monitor.RUNC);
        Path dir = tmp.resolve("run");
        assertThat(driver.decode(app, run(driver, app, dir)).success()).isTrue();
        assertThat(ConsoleRing.tail(dir.resolve("console"), 5)).containsExactly("from layout");
    }

    @Test
    void emptyArgsWithoutImageDefaultsAreRejected() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        App app = app(rootfs.toString(), Monitor.RUNC, List.of(), 16, List.of(), List.of());
        assertThatThrownBy(() -> new OciDriver(config, Monitor.RUNC).prepare(app, tmp.resolve("run")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.field()).isEqualTo("spec.args"));
    }

    @Test
    void probesSayWhatWorks() {
        Probe runc = new OciDriver(config, Monitor.RUNC).probe().getFirst();
        assertThat(runc.available()).as(runc.reason()).isTrue();
        assertThat(runc.details()).containsKeys("version", "cgroup", "binary");
        assertThat(runc.details().get("cgroup")).isEqualTo(Cgroups.detect().label());
        Probe crun = new OciDriver(config, Monitor.CRUN).probe().getFirst();
        if (!crun.available()) assertThat(crun.reason()).startsWith("unavailable: ");
        // cached: the second probe does not run a container again and agrees
        assertThat(new OciDriver(config, Monitor.CRUN).probe().getFirst().reason()).isEqualTo(crun.reason());
    }

    @Test
    void crunRunsABusyboxContainerWhereItWorks() throws Exception {
        OciDriver driver = new OciDriver(config, Monitor.CRUN);
        Probe probe = driver.probe().getFirst();
        Assumptions.assumeTrue(probe.available(), "crun: " + probe.reason());
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        App app = app(rootfs.toString(), Monitor.CRUN, List.of("/bin/sh", "-c", "echo $GREETING; exit 4"), 16,
                List.of(), List.of());
        Path dir = tmp.resolve("run");
        assertThat(driver.decode(app, run(driver, app, dir)).guestCode()).isEqualTo(4);
        assertThat(ConsoleRing.tail(dir.resolve("console"), 5)).containsExactly("hello");
    }

    @Test
    void containerIdIsStableAndValid() {
        String id = ContainerId.of(Path.of("/var/lib/orchide/runs/tenant a/app:1"));
        assertThat(id).matches("[A-Za-z0-9_.-]+").startsWith("orchide-app_1-")
                .isEqualTo(ContainerId.of(Path.of("/var/lib/orchide/runs/tenant a/app:1")))
                .isNotEqualTo(ContainerId.of(Path.of("/var/lib/orchide/runs/tenant b/app:1")));
    }
}
