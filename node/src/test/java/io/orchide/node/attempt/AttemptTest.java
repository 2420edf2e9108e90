package io.orchide.node.attempt;

import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttemptTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    ManualTimers timers;
    RecordingSupervisor supervisor;
    FakeDriver driver;
    final List<String> told = new ArrayList<>();
    final List<AttemptEnd> ends = new ArrayList<>();
    final List<RawExit> reported = new ArrayList<>();

    @BeforeEach
    void setUp() {
        timers = new ManualTimers(T0);
        supervisor = new RecordingSupervisor(timers.clock());
        supervisor.onExit((d, e) -> reported.add(e));
        driver = new FakeDriver();
    }

    static App app() throws Exception {
        return Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: hello}
                spec:
                  image: /k.elf
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: 1, memoryMiB: 32}
                """, Arch.X86_64);
    }

    /** Launches through the fake driver and the recording supervisor, as the real launchers do. */
    AttemptLauncher launcher() throws Exception {
        App app = app();
        return new AttemptLauncher() {
            @Override
            public Prepared prepare(Path runDir) throws LaunchException {
                driver.prepare(app, runDir);
                return () -> new LaunchedRun(app, driver, supervisor.start(null, runDir, runDir.resolve("console")));
            }

            @Override
            public Resolved resolve(Path runDir) {
                return new Resolved(app, driver);
            }
        };
    }

    /** Launches held until the test runs them, as an owner's launcher thread would later. */
    final List<Runnable> heldLaunches = new ArrayList<>();
    Launches launches = Launches.INLINE;

    void deferLaunches() {
        launches = (work, done) -> heldLaunches.add(() -> done.accept(Launches.Outcome.of(work)));
    }

    void runHeldLaunches() {
        List<Runnable> go = List.copyOf(heldLaunches);
        heldLaunches.clear();
        go.forEach(Runnable::run);
    }

    Attempt attempt(String name, Duration timeout) throws Exception {
        AttemptContext ctx = new AttemptContext(supervisor, timers, timers.clock(), launches);
        return new Attempt(dir.resolve(name), timeout, launcher(), ctx, new AttemptListener() {
            @Override public void starting(Attempt a) { told.add("starting"); }

            @Override public void running(Attempt a, String why) { told.add("running: " + why); }

            @Override public void timedOut(Attempt a, String why) { told.add(why); }

            @Override public void note(Attempt a, String message) { told.add(message); }

            @Override public void ended(Attempt a, AttemptEnd end) { ends.add(end); }
        });
    }

    RawExit exit(int code) {
        return new RawExit(code, 0, timers.clock().instant());
    }

    @Test
    void aLaunchedAttemptRunsAndEndsWithTheGuestsOwnStatus() throws Exception {
        Attempt a = attempt("1", null);
        a.start();
        assertThat(a.state()).isEqualTo(AttemptState.RUNNING);
        assertThat(told).containsExactly("starting", "running: monitor pid 100");
        assertThat(supervisor.calls).containsExactly("start 1");

        timers.advance(Duration.ofSeconds(3));
        a.exited(exit(83));

        AttemptEnd e = ends.getFirst();
        assertThat(e.state()).isEqualTo(AttemptState.EXITED);
        assertThat(e.success()).isTrue();
        assertThat(e.guestCode()).isZero();
        assertThat(e.reason()).isEqualTo("guest exited 0 via isa-debug-exit");
        assertThat(e.endedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(driver.calls).containsExactly("prepare 1", "cleanup 1");
    }

    @Test
    void aLaunchHandedElsewhereLeavesTheAttemptStartingWithNothingPreparedUntilItsOutcomeIsBack() throws Exception {
        deferLaunches();
        Attempt a = attempt("1", Duration.ofSeconds(20));
        a.start();
        assertThat(a.state()).isEqualTo(AttemptState.STARTING);
        assertThat(told).containsExactly("starting");
        assertThat(driver.calls).isEmpty();
        assertThat(supervisor.calls).isEmpty();

        runHeldLaunches();
        assertThat(a.state()).isEqualTo(AttemptState.RUNNING);
        assertThat(told).containsExactly("starting", "running: monitor pid 100");
        timers.advance(Duration.ofSeconds(20));
        assertThat(driver.calls).contains("requestStop 100"); // its timeout counts from the monitor's start
    }

    @Test
    void aStopAskedWhileTheMonitorIsStartingStopsItOnceItRunsAndEndsStopped() throws Exception {
        deferLaunches();
        Attempt a = attempt("1", null);
        a.start();
        a.stop("cancelled by the operator");
        assertThat(driver.calls).noneMatch(c -> c.startsWith("requestStop"));

        runHeldLaunches();
        assertThat(a.state()).isEqualTo(AttemptState.STOPPING);
        assertThat(driver.calls).contains("requestStop 100");
        a.exited(exit(0));
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AttemptState.STOPPED);
            assertThat(e.reason()).isEqualTo("cancelled by the operator");
        });
    }

    @Test
    void anExitReportedBeforeTheLaunchsOutcomeIsTakenOnceTheMonitorIsKnown() throws Exception {
        deferLaunches();
        Attempt a = attempt("1", null);
        a.start();
        a.exited(exit(83)); // a monitor that ended at once: its exit can reach the loop first
        assertThat(ends).isEmpty();

        runHeldLaunches();
        assertThat(told).containsExactly("starting", "running: monitor pid 100");
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AttemptState.EXITED);
            assertThat(e.success()).isTrue();
        });
    }

    @Test
    void aLaunchHandedElsewhereThatFailsEndsTheAttemptAsLaunchFailed() throws Exception {
        deferLaunches();
        driver.refuse = "no such kernel";
        Attempt a = attempt("1", null);
        a.start();
        runHeldLaunches();
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(AttemptState.LAUNCH_FAILED);
            assertThat(e.reason()).contains("no such kernel");
        });
    }

    @Test
    void aFailedExitIsAFailureWithTheDriversReason() throws Exception {
        Attempt a = attempt("1", null);
        a.start();
        a.exited(exit(85));
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.success()).isFalse();
            assertThat(e.guestCode()).isEqualTo(1);
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo("guest exited 1 via isa-debug-exit");
        });
    }

    @Test
    void anExitIsDeliveredOnceAndAnEndedAttemptIgnoresMore() throws Exception {
        Attempt a = attempt("1", null);
        a.start();
        a.exited(exit(83));
        a.exited(exit(85));
        assertThat(ends).hasSize(1);
    }

    @Test
    void anExitStampedBeforeTheMonitorStartedEndsWhenItStarted() throws Exception {
        Attempt a = attempt("1", null);
        timers.advance(Duration.ofSeconds(5));
        a.start();
        a.exited(new RawExit(83, 0, T0.plusSeconds(4))); // the shim's clock and /proc's start time disagree
        assertThat(ends.getFirst().endedAt()).isEqualTo(ends.getFirst().startedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aTimeoutFiresWhenTheClockPassesItAndIsATimeoutNotAnExit() throws Exception {
        Attempt a = attempt("1", Duration.ofSeconds(20));
        a.start();
        timers.advance(Duration.ofMillis(19_999));
        assertThat(driver.calls).doesNotContain("requestStop 100");

        timers.advance(Duration.ofMillis(1));
        assertThat(a.state()).isEqualTo(AttemptState.STOPPING);
        assertThat(told).contains("timeout of 20s reached");
        assertThat(driver.calls).contains("requestStop 100");

        a.exited(exit(0)); // qemu ends with status 0 after a powerdown
        AttemptEnd e = ends.getFirst();
        assertThat(e.state()).isEqualTo(AttemptState.TIMED_OUT);
        assertThat(e.reason()).isEqualTo("timed out after 20s");
        assertThat(e.success()).isFalse();
        assertThat(e.guestCode()).isNull();
        assertThat(e.exitCode()).isNull();
    }

    @Test
    void aTimedOutGuestThatReportedAnExitKeepsItsStatus() throws Exception {
        Attempt a = attempt("1", Duration.ofMinutes(1).plusSeconds(30));
        a.start();
        timers.advance(Duration.ofSeconds(90));
        a.exited(exit(85));
        assertThat(ends.getFirst().reason()).isEqualTo("timed out after 90s (guest exited 1 via isa-debug-exit)");
        assertThat(ends.getFirst().guestCode()).isEqualTo(1);
    }

    @Test
    void aStopEscalatesToKillAfterTheGraceThenToSigkill() throws Exception {
        driver.grace = Duration.ofSeconds(10);
        Attempt a = attempt("1", Duration.ofMinutes(5));
        a.start();
        a.stop("stopped by the user");
        assertThat(a.state()).isEqualTo(AttemptState.STOPPING);
        assertThat(driver.calls).containsExactly("prepare 1", "requestStop 100");
        assertThat(timers.pending()).containsExactly(T0.plusSeconds(10)); // the timeout is off

        timers.advance(Duration.ofSeconds(10));
        assertThat(driver.calls).containsExactly("prepare 1", "requestStop 100", "kill 100");
        assertThat(supervisor.calls).doesNotContain("signal 9 100");

        timers.advance(AttemptContext.KILL_CONFIRM);
        assertThat(supervisor.calls).contains("signal 9 100");

        a.exited(new RawExit(0, 9, timers.clock().instant()));
        AttemptEnd e = ends.getFirst();
        assertThat(e.state()).isEqualTo(AttemptState.STOPPED);
        assertThat(e.reason()).isEqualTo("stopped by the user");
        assertThat(e.guestCode()).isNull();
        assertThat(timers.pending()).isEmpty();
    }

    @Test
    void aMonitorThatStopsWithinTheGraceIsNotKilled() throws Exception {
        Attempt a = attempt("1", null);
        a.start();
        a.stop("restarting");
        timers.advance(Duration.ofSeconds(2));
        a.exited(exit(0));
        timers.advance(Duration.ofMinutes(1));
        assertThat(driver.calls).doesNotContain("kill 100");
        assertThat(supervisor.calls).doesNotContain("signal 9 100");
        assertThat(ends.getFirst().state()).isEqualTo(AttemptState.STOPPED);
    }

    @Test
    void aPreparationErrorEndsTheAttemptAsALaunchFailureWithTheFieldOnce() throws Exception {
        driver.refuse = "no such file";
        Attempt a = attempt("1", null);
        a.start();
        assertThat(told).containsExactly("starting");
        AttemptEnd e = ends.getFirst();
        assertThat(e.state()).isEqualTo(AttemptState.LAUNCH_FAILED);
        assertThat(e.reason()).startsWith("launch failed: ").containsOnlyOnce("spec.image");
        assertThat(supervisor.calls).isEmpty();
    }

    @Test
    void aStartRefusedByTheSupervisorIsALaunchFailure() throws Exception {
        supervisor.refuseStart = "shim did not start";
        Attempt a = attempt("1", null);
        a.start();
        assertThat(ends.getFirst().state()).isEqualTo(AttemptState.LAUNCH_FAILED);
        assertThat(ends.getFirst().reason()).isEqualTo("launch failed: shim did not start");
    }

    @Test
    void prepareAheadThrowsToTheCallerAndRecordsNothing() throws Exception {
        driver.refuse = "not an ELF file";
        Attempt a = attempt("1", null);
        assertThatThrownBy(a::prepare).isInstanceOf(LaunchException.class).hasMessageContaining("not an ELF file");
        assertThat(told).isEmpty();
        assertThat(ends).isEmpty();
    }

    @Test
    void aRunningMonitorIsReadoptedWithItsTimeoutCountedFromItsStart() throws Exception {
        Path runDir = dir.resolve("1");
        supervisor.alive.put(runDir, new RunningWorkload(runDir, 1500, 500, T0.minusSeconds(15)));
        Attempt a = attempt("1", Duration.ofSeconds(20));
        a.readopt(T0.minusSeconds(15));
        assertThat(a.state()).isEqualTo(AttemptState.RUNNING);
        assertThat(a.process().monitorPid()).isEqualTo(500);
        assertThat(told).containsExactly("running: re-adopted after agent restart");

        timers.advance(Duration.ofSeconds(5));
        assertThat(driver.calls).contains("requestStop 500");
        a.exited(exit(0));
        assertThat(ends.getFirst().state()).isEqualTo(AttemptState.TIMED_OUT);
    }

    @Test
    void anAttemptThatExitedWhileTheAgentWasDownIsReportedThroughItsExit() throws Exception {
        Path runDir = dir.resolve("1");
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("exit"), "85 0");
        RawExit down = new RawExit(85, 0, T0.minusSeconds(30));
        supervisor.exits.put(runDir, down);
        Attempt a = attempt("1", null);
        a.readopt(T0.minusSeconds(60));
        assertThat(reported).containsExactly(down);
        assertThat(ends).isEmpty();

        a.exited(down); // as the owner's loop delivers it
        AttemptEnd e = ends.getFirst();
        assertThat(e.state()).isEqualTo(AttemptState.EXITED);
        assertThat(e.guestCode()).isEqualTo(1);
        assertThat(e.endedAt()).isEqualTo(T0.minusSeconds(30));
        assertThat(driver.calls).containsExactly("cleanup 1");
    }

    @Test
    void anAttemptWhoseMonitorVanishedIsInterrupted() throws Exception {
        Attempt a = attempt("1", null);
        a.readopt(T0.minusSeconds(60));
        assertThat(ends.getFirst().state()).isEqualTo(AttemptState.INTERRUPTED);
        assertThat(ends.getFirst().reason()).isEqualTo("interrupted: its monitor was gone when the agent restarted");
        assertThat(ends.getFirst().success()).isFalse();
    }

    @Test
    void anExitFoundAfterARestartWhoseAppCannotBeResolvedIsReadFromTheMonitorsStatus() throws Exception {
        Path runDir = dir.resolve("1");
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve("exit"), "0 9");
        supervisor.exits.put(runDir, new RawExit(0, 9, T0));
        AttemptContext ctx = new AttemptContext(supervisor, timers, timers.clock());
        AttemptLauncher gone = new AttemptLauncher() {
            @Override public Prepared prepare(Path d) { throw new AssertionError("not launched again"); }

            @Override public Resolved resolve(Path d) throws LaunchException {
                throw new LaunchException("spec.image", "sha256:ab", "no longer in the image store");
            }
        };
        Attempt a = new Attempt(runDir, null, gone, ctx, (x, end) -> ends.add(end));
        a.readopt(T0.minusSeconds(10));
        a.exited(reported.getFirst());
        AttemptEnd e = ends.getFirst();
        assertThat(e.success()).isFalse();
        assertThat(e.reason()).isEqualTo("monitor killed by signal 9");
        assertThat(e.exitCode()).isNull();
    }
}
