package io.orchide.node.workload;

import io.orchide.node.layout.NodeLayout;
import io.orchide.model.App;
import io.orchide.model.Arch;
import io.orchide.model.Manifests;
import io.orchide.node.attempt.EventLoop;
import io.orchide.node.attempt.FakeDriver;
import io.orchide.node.attempt.ManualTimers;
import io.orchide.node.attempt.RecordingSupervisor;
import io.orchide.node.image.ContentImages;
import io.orchide.node.store.Database;
import io.orchide.node.store.NodeStore;
import io.orchide.node.store.RunRecord;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.image.ImageResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The workloads of a node, driven through the reconciler with a fake driver, a recording supervisor and a hand-moved clock. */
class WorkloadsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;
    ManualTimers timers;
    RecordingSupervisor supervisor;
    FakeDriver driver;
    Database db;
    NodeStore store;
    EventLoop loop;
    Reconciler reconciler;

    @BeforeEach
    void setUp() throws Exception {
        timers = new ManualTimers(T0);
        supervisor = new RecordingSupervisor(timers.clock());
        driver = new FakeDriver();
        db = Database.open(tmp.resolve("node.db"));
        store = new NodeStore(db);
        Files.writeString(tmp.resolve("k.elf"), "kernel");
        reconciler = agent();
    }

    /** An agent process over the same store, supervisor and clock. */
    Reconciler agent() throws Exception {
        if (loop != null) loop.close();
        loop = new EventLoop("test-workloads", timers.clock());
        WorkloadLauncher launcher = new WorkloadLauncher(new Drivers(List.of(driver)), supervisor, new ImageResolver(),
                new ContentImages(NodeLayout.of(tmp).images()), NodeLayout.of(tmp));
        Reconciler r = new Reconciler(store, launcher, supervisor, new Capacity(4, 4096), new Reservations(),
                io.orchide.node.tenant.QuotaSource.NONE, timers.clock(), loop, timers);
        supervisor.onExit(r::exited);
        return r;
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        db.close();
    }

    App app(String name, String timeout, String restart) throws Exception {
        return Manifests.parseApp("""
                apiVersion: orchide.io/v1
                kind: App
                metadata: {name: %s}
                spec:
                  image: %s
                  runtime: {family: unikraft, monitor: qemu, arch: x86_64}
                  resources: {vcpus: 1, memoryMiB: 32%s}
                  restart: %s
                """.formatted(name, tmp.resolve("k.elf"), timeout == null ? "" : ", timeout: " + timeout, restart),
                Arch.X86_64);
    }

    /** Moves the clock on the workloads' loop, where their timers run. */
    void advance(Duration d) {
        loop.get(() -> {
            timers.advance(d);
            return null;
        });
    }

    /** The monitor of the workload's latest run exits with {@code code}; returns once the exit is handled. */
    void exit(String name, int code) {
        reconciler.exited(latest(name).runDir(), new RawExit(code, 0, timers.clock().instant()));
        loop.get(() -> null);
    }

    RunRecord latest(String name) {
        return store.latestRun(name).orElseThrow();
    }

    WorkloadView view(String name) throws Exception {
        return reconciler.get(name);
    }

    @Test
    void aTimeoutFiresOnTheClockAndIsRecordedAsATimeoutWithoutAnExitStatus() throws Exception {
        reconciler.apply(app("t", "20s", "{policy: Never}"));
        assertThat(view("t").state()).isEqualTo(WorkloadState.RUNNING);

        advance(Duration.ofSeconds(19));
        assertThat(view("t").state()).isEqualTo(WorkloadState.RUNNING);
        advance(Duration.ofSeconds(1));
        assertThat(view("t").state()).isEqualTo(WorkloadState.STOPPING);
        assertThat(view("t").message()).isEqualTo("timeout of 20s reached");

        exit("t", 0); // qemu's status after the powerdown the stop asked for
        WorkloadView v = view("t");
        assertThat(v.state()).isEqualTo(WorkloadState.FAILED);
        assertThat(v.message()).isEqualTo("ended: timed out after 20s");
        RunRecord run = latest("t");
        assertThat(run.reason()).isEqualTo("timed out after 20s");
        assertThat(run.exitCode()).isNull();
        assertThat(run.guestCode()).isNull();
        assertThat(run.success()).isFalse();
        assertThat(run.endedAt()).isAfterOrEqualTo(run.startedAt());
    }

    @Test
    void aRunNeverEndsBeforeItStarted() throws Exception {
        reconciler.apply(app("quick", null, "{policy: Never}"));
        RunRecord started = latest("quick");
        // the shim stamps the exit with its own clock, which may lag the monitor's start time read from /proc
        reconciler.exited(started.runDir(), new RawExit(83, 0, started.startedAt().minusMillis(3)));
        loop.get(() -> null);
        RunRecord run = latest("quick");
        assertThat(run.endedAt()).isEqualTo(run.startedAt());
        assertThat(run.guestCode()).isZero();
        assertThat(run.success()).isTrue();
    }

    @Test
    void aFailingWorkloadIsRestartedAfterItsBackoffThenMarkedCrashLooping() throws Exception {
        reconciler.apply(app("crashy", null,
                "{policy: OnFailure, backoff: {initial: 1s, max: 1m}, crashLoop: {limit: 3, window: 10m}}"));
        exit("crashy", 85);
        assertThat(view("crashy").state()).isEqualTo(WorkloadState.BACK_OFF);
        assertThat(view("crashy").message())
                .isEqualTo("ended: guest exited 1 via isa-debug-exit; restarting in 1s");
        advance(Duration.ofMillis(999));
        assertThat(supervisor.calls).hasSize(1);
        advance(Duration.ofMillis(1));
        assertThat(supervisor.calls).hasSize(2);
        assertThat(view("crashy").restarts()).isEqualTo(1);

        exit("crashy", 85);
        assertThat(view("crashy").message()).endsWith("restarting in 2s");
        advance(Duration.ofSeconds(2));
        exit("crashy", 85);
        assertThat(view("crashy").state()).isEqualTo(WorkloadState.CRASH_LOOP);
        assertThat(view("crashy").message()).endsWith("restarting in 1m");
        assertThat(view("crashy").restarts()).isEqualTo(2);
    }

    @Test
    void reapplyingTheSpecOfAFinishedWorkloadChangesNothing() throws Exception {
        App once = app("once", null, "{policy: Never}");
        reconciler.apply(once);
        exit("once", 83);
        assertThat(view("once").state()).isEqualTo(WorkloadState.SUCCEEDED);
        assertThat(view("once").desiredText()).isEqualTo("Completed");

        assertThat(reconciler.apply(once)).isEqualTo(ApplyResult.UNCHANGED);
        WorkloadView v = view("once");
        assertThat(v.state()).isEqualTo(WorkloadState.SUCCEEDED);
        assertThat(v.generation()).isEqualTo(1);
        assertThat(v.restarts()).isZero();
        assertThat(supervisor.calls).hasSize(1);
    }

    @Test
    void aWorkloadThatSucceededUnderOnFailureIsCompletedAndOneThatRunsIsRunning() throws Exception {
        reconciler.apply(app("job", null, "{policy: OnFailure}"));
        assertThat(view("job").desiredText()).isEqualTo("Running");
        exit("job", 83);
        assertThat(view("job").desiredText()).isEqualTo("Completed");
    }

    @Test
    void aUsersStopIsNeitherAFailureNorAnExitAndTheirStartIsNoRestart() throws Exception {
        reconciler.apply(app("svc", null, "{policy: Always}"));
        var stopped = reconciler.stop("svc");
        assertThat(driver.calls).contains("requestStop 100");
        assertThat(stopped).isNotDone();
        exit("svc", 143 - 128); // the monitor ends on the graceful stop's SIGTERM as its own status
        assertThat(stopped).isDone();
        assertThat(view("svc").state()).isEqualTo(WorkloadState.STOPPED);
        RunRecord run = latest("svc");
        assertThat(run.state()).isEqualTo(RunRecord.RunState.STOPPED);
        assertThat(run.success()).isNull();
        assertThat(run.exitCode()).isNull();
        assertThat(run.reason()).isEqualTo("stopped by the user");
        assertThat(store.failuresSince("svc", T0.minusSeconds(1))).isZero();

        reconciler.start("svc");
        assertThat(view("svc").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(view("svc").restarts()).isZero();

        reconciler.restart("svc");
        exit("svc", 0);
        assertThat(view("svc").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(view("svc").restarts()).isEqualTo(1);
        assertThat(reconciler.list()).singleElement().extracting(WorkloadView::restarts).isEqualTo(1);
        assertThat(latest("svc").attempt()).isEqualTo(2);
    }

    @Test
    void aStopEscalatesToKillAndThenSigkillOnTheClock() throws Exception {
        reconciler.apply(app("stubborn", null, "{policy: Always}"));
        reconciler.stop("stubborn");
        advance(Duration.ofSeconds(10));
        assertThat(driver.calls).contains("kill 100");
        assertThat(supervisor.calls).doesNotContain("signal 9 100");
        advance(Duration.ofSeconds(5));
        assertThat(supervisor.calls).contains("signal 9 100");
        exit("stubborn", 0);
        assertThat(view("stubborn").state()).isEqualTo(WorkloadState.STOPPED);
    }

    @Test
    void aManifestTheHostCannotRunIsRefusedAndNothingIsKept() throws Exception {
        driver.refuse = "not an ELF file";
        assertThatThrownBy(() -> reconciler.apply(app("bad", null, "{policy: Never}")))
                .isInstanceOf(LaunchException.class).hasMessageContaining("not an ELF file");
        assertThat(store.workloads()).isEmpty();
        assertThat(store.runs("bad", 10)).isEmpty();
        assertThat(store.events("bad", 50)).isEmpty();
        assertThat(NodeLayout.of(tmp).workload("bad")).doesNotExist();
        assertThat(reconciler.list()).isEmpty();
        assertThat(supervisor.calls).isEmpty();
        // the name is free again: the same App applied once the host can run it starts as a new workload
        driver.refuse = null;
        assertThat(reconciler.apply(app("bad", null, "{policy: Never}"))).isEqualTo(ApplyResult.CREATED);
        assertThat(latest("bad").attempt()).isEqualTo(1);
        assertThat(view("bad").state()).isEqualTo(WorkloadState.RUNNING);
    }

    @Test
    void aNewWorkloadAndItsFirstRunAreStoredBeforeItsMonitorStarts() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        supervisor.onStart = () -> seen.add(store.workload("fresh").map(w -> w.generation() + " ").orElse("none ")
                + store.latestRun("fresh").map(r -> r.state().name()).orElse("no run"));
        reconciler.apply(app("fresh", null, "{policy: Never}"));
        // a crash at the monitor's start leaves a record to re-adopt or interrupt, never a workload nobody knows
        assertThat(seen).containsExactly("1 STARTING");
    }

    @Test
    void anAgentKilledAfterTheFirstCommitAndBeforeTheSpawnRunsTheWorkloadOnceAtItsNextStart() throws Exception {
        supervisor.held = dir -> dir.getFileName().toString().equals("1"); // the first monitor's spawn never comes
        supervisor.waiting = new CountDownLatch(1);
        Reconciler killed = reconciler;
        Thread.ofVirtual().start(() -> {
            try {
                killed.apply(app("survivor", null, "{policy: Never}"));
            } catch (Exception e) {
                // the agent died in the middle of this apply: its caller gets no answer
            }
        });
        await().until(() -> supervisor.waiting.getCount() == 0);
        assertThat(latest("survivor").state()).isEqualTo(RunRecord.RunState.STARTING);

        EventLoop dead = loop;
        loop = null; // the killed agent's loop runs nothing more
        reconciler = agent();
        reconciler.recover();
        WorkloadView v = view("survivor");
        assertThat(v.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(v.generation()).isEqualTo(1);
        assertThat(store.runs("survivor", 10)).extracting(RunRecord::reason)
                .containsExactly(null, "interrupted: its monitor was gone when the agent restarted");
        assertThat(supervisor.calls).containsOnlyOnce("start 2").doesNotContain("start 1");
        dead.close();
    }

    @Test
    void theAppAWorkloadRunsIsKnownOnceItsApplyIsStoredUntilItIsDeleted() throws Exception {
        // what tells a re-applied manifest unchanged, without queuing behind the workloads' loop
        driver.refuse = "not an ELF file";
        App v1 = app("known", null, "{policy: Always}");
        assertThatThrownBy(() -> reconciler.apply(v1)).isInstanceOf(LaunchException.class);
        assertThat(reconciler.applied("known")).isEmpty();

        driver.refuse = null;
        reconciler.apply(v1);
        assertThat(reconciler.applied("known")).contains(v1);
        App v2 = app("known", "1h", "{policy: Always}");
        assertThat(reconciler.apply(v2)).isEqualTo(ApplyResult.CONFIGURED);
        exit("known", 0); // the first generation's monitor ends after the graceful stop: the second one starts
        assertThat(reconciler.applied("known")).contains(v2);

        reconciler = agent();
        reconciler.recover();
        assertThat(reconciler.applied("known")).contains(v2);
        var deleted = reconciler.delete("known");
        exit("known", 0);
        deleted.get();
        loop.get(() -> null); // the deletion's last step runs on the loop
        assertThat(reconciler.applied("known")).isEmpty();
    }

    @Test
    void aLaunchThatFailsLaterIsAFailureTheRestartPolicyRetries() throws Exception {
        reconciler.apply(app("flaky", null, "{policy: OnFailure, backoff: {initial: 1s, max: 1m}}"));
        supervisor.refuseStart = "shim did not start";
        reconciler.restart("flaky");
        exit("flaky", 0);
        assertThat(view("flaky").state()).isEqualTo(WorkloadState.BACK_OFF);
        assertThat(view("flaky").message()).isEqualTo("failed: launch failed: shim did not start; restarting in 1s");
        assertThat(latest("flaky").state()).isEqualTo(RunRecord.RunState.FAILED_TO_START);
    }

    @Test
    void aRunningMonitorIsReadoptedByTheNextAgent() throws Exception {
        reconciler.apply(app("vm", "1m", "{policy: Always}"));
        long pid = view("vm").monitorPid();
        advance(Duration.ofSeconds(50));

        reconciler = agent();
        reconciler.recover();
        WorkloadView v = view("vm");
        assertThat(v.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(v.message()).isEqualTo("re-adopted after agent restart");
        assertThat(v.monitorPid()).isEqualTo(pid);
        assertThat(supervisor.calls).containsOnlyOnce("start 1");

        advance(Duration.ofSeconds(10)); // the timeout counts from the monitor's start, not the re-adoption
        assertThat(view("vm").state()).isEqualTo(WorkloadState.STOPPING);
    }

    @Test
    void anExitWhileTheAgentWasDownGoesToTheRestartPolicy() throws Exception {
        reconciler.apply(app("dies", null, "{policy: OnFailure, backoff: {initial: 1s, max: 1m}}"));
        Path runDir = latest("dies").runDir();
        Files.writeString(runDir.resolve("exit"), "85 0");
        supervisor.exits.put(runDir, new RawExit(85, 0, T0.plusSeconds(1)));
        advance(Duration.ofSeconds(30));

        reconciler = agent();
        reconciler.recover();
        loop.get(() -> null); // the reported exit is handled after recovery
        WorkloadView v = view("dies");
        assertThat(v.state()).isEqualTo(WorkloadState.BACK_OFF);
        assertThat(latest("dies").guestCode()).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        assertThat(view("dies").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(view("dies").restarts()).isEqualTo(1);
    }

    @Test
    void aRunWhoseMonitorVanishedIsRestartedAsInterrupted() throws Exception {
        reconciler.apply(app("keeper", null, "{policy: Never}"));
        supervisor.alive.clear(); // a host reboot: nothing of it is left

        reconciler = agent();
        reconciler.recover();
        assertThat(view("keeper").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(store.events("keeper", 50)).extracting(e -> e.message())
                .contains("restarted after its run was interrupted");
        assertThat(store.runs("keeper", 10).get(1).reason())
                .isEqualTo("interrupted: its monitor was gone when the agent restarted");
    }

    @Test
    void aDeletionIsToldOnlyOnceTheWorkloadsMonitorHasExitedAndItIsForgotten() throws Exception {
        List<String> deleted = new java.util.concurrent.CopyOnWriteArrayList<>();
        reconciler.onDeleted(deleted::add);
        reconciler.apply(app("gone", null, "{policy: Always}"));

        var done = reconciler.delete("gone");
        loop.get(() -> null);
        assertThat(deleted).as("told while its monitor still runs").isEmpty();

        exit("gone", 143 - 128);
        done.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(deleted).containsExactly("gone");
        assertThat(store.workloads()).isEmpty();
    }
}
