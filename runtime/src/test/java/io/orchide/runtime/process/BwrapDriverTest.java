package io.orchide.runtime.process;

import io.orchide.model.App;
import io.orchide.model.AppSpec;
import io.orchide.model.Arch;
import io.orchide.model.Family;
import io.orchide.model.Metadata;
import io.orchide.model.Monitor;
import io.orchide.model.Mount;
import io.orchide.model.RuntimeSpec;
import io.orchide.runtime.ExitStatus;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.Probe;
import io.orchide.runtime.RunningWorkload;
import io.orchide.runtime.RuntimeConfig;
import io.orchide.runtime.supervise.ConsoleRing;
import io.orchide.runtime.supervise.ShimSupervisor;
import io.orchide.runtime.supervise.TestShim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BwrapDriverTest {
    @TempDir
    Path tmp;

    private static App app(String image, List<String> args, List<Mount> inputs, List<Mount> outputs) {
        return new App(new Metadata("proc", null, null), new AppSpec(image, null,
                new RuntimeSpec(Family.PROCESS, Monitor.BWRAP, Arch.host(), null), args, Map.of("WHO", "sandbox"),
                null, null, inputs, outputs));
    }

    @Test
    void runsBusyboxWithReadOnlyInputAndWritableOutput() throws Exception {
        RuntimeConfig config = TestShim.config(tmp.resolve("state"), 1 << 16);
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(in.resolve("data.txt"), "payload");
        Path out = tmp.resolve("out");
        String script = "echo hello $WHO; cat /data/in/data.txt > /data/out/copy.txt; "
                + "if touch /data/in/x 2>/dev/null; then echo in-writable; else echo in-readonly; fi; exit 5";
        App app = app("/bin/busybox", List.of("sh", "-c", script),
                List.of(new Mount("in", in.toString(), "/data/in", 0)),
                List.of(new Mount("out", out.toString(), "/data/out", 0)));
        BwrapDriver driver = new BwrapDriver(config);
        TestShim.Recorder recorder = new TestShim.Recorder();
        Path dir = tmp.resolve("run");
        try (ShimSupervisor supervisor = new ShimSupervisor(config, recorder)) {
            supervisor.start(driver.prepare(app, dir), dir, dir.resolve("console"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !recorder.exits.isEmpty());
        }
        ExitStatus status = driver.decode(app, recorder.exits.getFirst().exit());
        assertThat(status.guestCode()).as(ConsoleRing.tail(dir.resolve("console"), 20).toString()).isEqualTo(5);
        assertThat(ConsoleRing.tail(dir.resolve("console"), 10)).containsExactly("hello sandbox", "in-readonly");
        assertThat(out.resolve("copy.txt")).hasContent("payload");
        assertThat(in.resolve("x")).doesNotExist();
    }

    @Test
    void aSandboxBwrapCannotBuildIsALaunchFailureWithItsOutput() throws Exception {
        RuntimeConfig config = TestShim.config(tmp.resolve("state"), 1 << 16);
        Path in = Files.createDirectories(tmp.resolve("in"));
        // /usr is bound read-only, so bwrap cannot make the mount point: it says so and exits 1 before the program
        App app = app("/bin/busybox", List.of("true"), List.of(new Mount("in", in.toString(), "/usr/orchide-in", 0)),
                List.of());
        BwrapDriver driver = new BwrapDriver(config);
        TestShim.Recorder recorder = new TestShim.Recorder();
        Path dir = tmp.resolve("run");
        try (ShimSupervisor supervisor = new ShimSupervisor(config, recorder)) {
            var launch = driver.prepare(app, dir);
            assertThatThrownBy(() -> supervisor.start(launch, dir, dir.resolve("console")))
                    .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.reason())
                            .startsWith("bwrap exited before the program started: ")
                            .contains("/usr/orchide-in"));
        }
        assertThat(recorder.exits).as("no program exit is reported").isEmpty();
    }

    @Test
    void aProgramBwrapCannotExecIsALaunchFailureWithItsReason() throws Exception {
        RuntimeConfig config = TestShim.config(tmp.resolve("state"), 1 << 16);
        Path program = tmp.resolve("prog");
        Files.writeString(program, "#!/nonexistent/interpreter\n"); // execve fails: ENOENT for the interpreter
        program.toFile().setExecutable(true);
        App app = app(program.toString(), List.of(), List.of(), List.of());
        BwrapDriver driver = new BwrapDriver(config);
        TestShim.Recorder recorder = new TestShim.Recorder();
        Path dir = tmp.resolve("run");
        try (ShimSupervisor supervisor = new ShimSupervisor(config, recorder)) {
            var launch = driver.prepare(app, dir);
            assertThatThrownBy(() -> supervisor.start(launch, dir, dir.resolve("console")))
                    .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.reason())
                            .startsWith("bwrap exited before the program started: ")
                            .contains(program.toString()));
        }
        assertThat(recorder.exits).as("no program exit is reported").isEmpty();
    }

    @Test
    void aProgramThatExitsOneAtOnceIsAnExitNotALaunchFailure() throws Exception {
        RuntimeConfig config = TestShim.config(tmp.resolve("state"), 1 << 16);
        App app = app("/bin/busybox", List.of("false"), List.of(), List.of());
        BwrapDriver driver = new BwrapDriver(config);
        TestShim.Recorder recorder = new TestShim.Recorder();
        Path dir = tmp.resolve("run");
        try (ShimSupervisor supervisor = new ShimSupervisor(config, recorder)) {
            supervisor.start(driver.prepare(app, dir), dir, dir.resolve("console"));
            await().atMost(Duration.ofSeconds(20)).until(() -> !recorder.exits.isEmpty());
        }
        assertThat(driver.decode(app, recorder.exits.getFirst().exit()).guestCode()).isEqualTo(1);
    }

    @Test
    void requestStopEndsTheSandbox() throws Exception {
        RuntimeConfig config = TestShim.config(tmp.resolve("state"), 1 << 16);
        BwrapDriver driver = new BwrapDriver(config);
        App app = app("busybox", List.of("sleep", "60"), List.of(), List.of());
        TestShim.Recorder recorder = new TestShim.Recorder();
        Path dir = tmp.resolve("run");
        try (ShimSupervisor supervisor = new ShimSupervisor(config, recorder)) {
            RunningWorkload w = supervisor.start(driver.prepare(app, dir), dir, dir.resolve("console"));
            await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(w.monitorPid())
                    .map(h -> h.descendants().findAny().isPresent()).orElse(false));
            driver.requestStop(app, w);
            await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.exits.isEmpty());
        }
        assertThat(driver.decode(app, recorder.exits.getFirst().exit()).success()).isFalse();
    }

    @Test
    void missingImageIsRejected() {
        BwrapDriver driver = new BwrapDriver(TestShim.config(tmp, 4096));
        assertThatThrownBy(() -> driver.prepare(app("/nonexistent/prog", List.of(), List.of(), List.of()), tmp))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.field()).isEqualTo("spec.image"));
    }

    @Test
    void probeRunsBwrap() {
        Probe p = new BwrapDriver(TestShim.config(tmp, 4096)).probe().getFirst();
        assertThat(p.available()).as(p.reason()).isTrue();
        assertThat(p.details()).containsKey("version");
    }
}
