package io.orchide.runtime.supervise;

import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ShimSupervisorTest {
    @TempDir
    Path tmp;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final TestShim.Recorder recorder = new TestShim.Recorder();

    private ShimSupervisor supervisor(long logMax) {
        ShimSupervisor s = new ShimSupervisor(TestShim.config(tmp.resolve("state"), logMax), recorder);
        closing.add(s);
        return s;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) c.close();
    }

    private static Launch sh(String script) {
        return new Launch(List.of("sh", "-c", script), Map.of());
    }

    private RawExit awaitExit(Path dir) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !recorder.of(dir).isEmpty());
        return recorder.of(dir).getFirst().exit();
    }

    @Test
    void exitCodeAndSignalAreRecorded() throws Exception {
        ShimSupervisor s = supervisor(1 << 16);
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        RunningWorkload w = s.start(sh("echo out; echo err >&2; exit 7"), a, a.resolve("console"));
        s.start(sh("kill -9 $$"), b, b.resolve("console"));
        assertThat(w.monitorPid()).isNotEqualTo(w.shimPid());

        assertThat(awaitExit(a)).extracting(RawExit::code, RawExit::signal).containsExactly(7, 0);
        assertThat(awaitExit(b)).extracting(RawExit::code, RawExit::signal).containsExactly(-1, 9);
        assertThat(ConsoleRing.tail(a.resolve("console"), 10)).containsExactly("out", "err");
        Thread.sleep(200);
        assertThat(recorder.exits).hasSize(2);
    }

    @Test
    void environmentReachesTheMonitor() throws Exception {
        ShimSupervisor s = supervisor(1 << 16);
        Path a = tmp.resolve("a");
        s.start(new Launch(List.of("sh", "-c", "echo $ORCHIDE_X; pwd"), Map.of("ORCHIDE_X", "42")), a, a.resolve("console"));
        awaitExit(a);
        assertThat(ConsoleRing.tail(a.resolve("console"), 10)).containsExactly("42", a.toString());
    }

    @Test
    void consoleRingStaysWithinBoundForAChattyWorkload() throws Exception {
        long logMax = 64 * 1024;
        ShimSupervisor s = supervisor(logMax);
        Path a = tmp.resolve("a");
        Path console = a.resolve("console");
        s.start(sh("yes orchide | head -c 4000000; echo; echo last"), a, console);
        assertThat(awaitExit(a).code()).isZero();
        assertThat(Files.size(console) + Files.size(ConsoleRing.previous(console))).isLessThanOrEqualTo(logMax);
        assertThat(Files.size(ConsoleRing.previous(console))).isEqualTo(logMax / 2);
        assertThat(ConsoleRing.tail(console, 1)).containsExactly("last");
        assertThat(ConsoleRing.tail(console, 3)).startsWith("orchide");
    }

    @Test
    void missingMonitorFailsTheStartWithTheConsoleText() {
        ShimSupervisor s = supervisor(1 << 16);
        Path a = tmp.resolve("a");
        assertThatThrownBy(() -> s.start(new Launch(List.of("/nonexistent/monitor"), Map.of()), a, a.resolve("console")))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("cannot exec /nonexistent/monitor: No such file or directory");
    }

    @Test
    void runDirMustBeFresh() throws Exception {
        ShimSupervisor s = supervisor(1 << 16);
        Path a = tmp.resolve("a");
        s.start(sh("true"), a, a.resolve("console"));
        awaitExit(a);
        assertThatThrownBy(() -> s.start(sh("true"), a, a.resolve("console")))
                .isInstanceOfSatisfying(LaunchException.class, e -> assertThat(e.field()).isEqualTo("runDir"));
    }

    @Test
    void monitorSurvivesItsStarterAndIsAdoptedAndReportedOnce() throws Exception {
        Path a = tmp.resolve("a");
        Files.createDirectories(a);
        String shim = TestShim.path().toString();
        // a throwaway parent standing in for the agent
        Process parent = new ProcessBuilder("sh", "-c", shim + " --run-dir " + a + " --console " + a.resolve("console")
                + " --log-max 65536 -- sh -c 'echo started; exec sleep 60'; sleep 60").start();
        String ready = new BufferedReader(new InputStreamReader(parent.getInputStream())).readLine();
        assertThat(ready).startsWith("ready ");
        parent.destroyForcibly().waitFor();

        PidFile pid = PidFile.read(a).orElseThrow();
        assertThat(pid.monitorPid()).isEqualTo(Long.parseLong(ready.substring(6)));
        assertThat(pid.monitorAlive()).isTrue();

        ShimSupervisor s = supervisor(1 << 16);
        Optional<RunningWorkload> adopted = s.adopt(a);
        assertThat(adopted).isPresent();
        assertThat(adopted.get().monitorPid()).isEqualTo(pid.monitorPid());
        assertThat(recorder.exits).isEmpty();

        s.signal(adopted.get(), 15);
        assertThat(awaitExit(a).signal()).isEqualTo(15);
        Thread.sleep(200);
        assertThat(recorder.of(a)).hasSize(1);
        assertThat(ConsoleRing.tail(a.resolve("console"), 5)).containsExactly("started");
    }

    @Test
    void adoptingAFinishedRunReportsItOnce() throws Exception {
        Path a = tmp.resolve("a");
        try (ShimSupervisor first = new ShimSupervisor(TestShim.config(tmp, 4096), (d, e) -> { })) {
            first.start(sh("exit 3"), a, a.resolve("console"));
            await().atMost(Duration.ofSeconds(20)).until(() -> ExitFile.exists(a));
        }
        ShimSupervisor s = supervisor(4096);
        assertThat(s.adopt(a)).isEmpty();
        assertThat(awaitExit(a).code()).isEqualTo(3);
        Thread.sleep(200);
        assertThat(recorder.of(a)).hasSize(1);
    }

    @Test
    void recycledPidIsNotMistakenForTheMonitor() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        long self = ProcessHandle.current().pid();
        long start = ProcStat.startTime(self).orElseThrow();
        // the pid now belongs to another process (this JVM) than the one recorded
        Files.writeString(a.resolve("pid"), "shim=" + self + "\nmonitor=" + self + "\nstarttime=" + (start + 1) + "\n");
        ShimSupervisor s = supervisor(4096);
        assertThat(s.adopt(a)).isEmpty();
        assertThat(awaitExit(a).code()).isEqualTo(-1);
        RunningWorkload stale = new RunningWorkload(a, self, self, java.time.Instant.now());
        s.signal(stale, 15); // must not reach this JVM
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void consoleFollowerSeesLinesAcrossRotations() throws Exception {
        ShimSupervisor s = supervisor(200);
        Path a = tmp.resolve("a");
        Files.createDirectories(a);
        Path console = a.resolve("console");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConsoleRing.Follower follower = ConsoleRing.follow(console, 10, seen::add);
        try {
            s.start(sh("for i in $(seq 1 20); do echo line$i; sleep 0.02; done"), a, console);
            awaitExit(a);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 20);
        } finally {
            follower.close();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 20; i++) expected.add("line" + i);
        assertThat(seen).isEqualTo(expected);
        assertThat(Files.size(console) + Files.size(ConsoleRing.previous(console))).isLessThanOrEqualTo(200);
        List<String> backlog = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConsoleRing.follow(console, 2, backlog::add).close();
        assertThat(backlog).containsExactly("line19", "line20");
    }
}
