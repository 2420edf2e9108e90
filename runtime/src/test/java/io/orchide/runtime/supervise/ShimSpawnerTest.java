package io.orchide.runtime.supervise;

import io.orchide.runtime.Launch;
import io.orchide.runtime.LaunchException;
import io.orchide.runtime.RawExit;
import io.orchide.runtime.RunningWorkload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The long-lived spawner the supervisor starts its shims through: answers, failures, and its own death. */
class ShimSpawnerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private final TestShim.Recorder recorder = new TestShim.Recorder();
    private ShimSpawner spawner;
    private ShimSupervisor supervisor;

    @AfterEach
    void close() {
        if (spawner != null) spawner.close();
        if (supervisor != null) supervisor.close();
    }

    private ShimSpawner.Request request(Path dir, List<String> command) {
        return new ShimSpawner.Request(dir, dir.resolve("console"), 1 << 16, Map.of("ORCHIDE_X", "42"), command);
    }

    private static void kill9(long pid) {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
        h.destroyForcibly();
        await().atMost(WAIT).until(() -> !h.isAlive());
    }

    @Test
    void aSpawnedShimRecordsTheExecOfItsMonitorAndRunsItInItsRunDirectory() throws Exception {
        spawner = new ShimSpawner(TestShim.path());
        Path a = Files.createDirectories(tmp.resolve("a"));
        ShimSpawner.Answer answer = spawner.spawn(request(a, List.of("sh", "-c", "echo $ORCHIDE_X; pwd; exit 4")), WAIT);

        PidFile pid = PidFile.read(a).orElseThrow();
        assertThat(answer.line()).isEqualTo("ready " + pid.monitorPid());
        assertThat(pid.shimPid()).isNotEqualTo(spawner.pid()).isNotEqualTo(pid.monitorPid());
        assertThat(Files.readString(a.resolve("pid"))).containsPattern("(?m)^execat=\\d{16}$");
        await().atMost(WAIT).until(() -> ExitFile.exists(a));
        assertThat(ExitFile.read(a).code()).isEqualTo(4);
        assertThat(ConsoleRing.tail(a.resolve("console"), 5)).containsExactly("42", a.toString());
    }

    @Test
    void aMonitorThatCannotBeExecdIsAnsweredWithTheReasonAndRecordedAs127() throws Exception {
        spawner = new ShimSpawner(TestShim.path());
        Path a = Files.createDirectories(tmp.resolve("a"));
        ShimSpawner.Answer answer = spawner.spawn(request(a, List.of("/nonexistent/monitor", "x")), WAIT);

        assertThat(answer.line()).isEqualTo("failed cannot exec /nonexistent/monitor: No such file or directory");
        assertThat(ExitFile.read(a).code()).isEqualTo(127);
        assertThat(PidFile.exists(a)).isFalse();
    }

    @Test
    void aSpawnerThatDiedIsReplacedByTheNextLaunch() throws Exception {
        spawner = new ShimSpawner(TestShim.path());
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        assertThat(spawner.spawn(request(a, List.of("true")), WAIT).line()).startsWith("ready ");
        long first = spawner.pid();
        kill9(first);

        assertThat(spawner.spawn(request(b, List.of("true")), WAIT).line()).startsWith("ready ");
        assertThat(spawner.pid()).isNotZero().isNotEqualTo(first);
        // both shims still write their exit records after answering; the run directories are removed after them
        await().atMost(WAIT).until(() -> ExitFile.exists(a) && ExitFile.exists(b));
    }

    @Test
    void aLaunchTheSpawnerDiedWithFailsNamingTheSpawner() throws Exception {
        spawner = new ShimSpawner(TestShim.path());
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        spawner.spawn(request(a, List.of("true")), WAIT);
        long pid = spawner.pid();
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        CompletableFuture<ShimSpawner.Answer> launch = CompletableFuture.supplyAsync(() -> {
            try {
                return spawner.spawn(request(b, List.of("true")), WAIT);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        await().atMost(WAIT).until(() -> spawner.waiting() == 1); // written to the stopped spawner, not read
        kill9(pid);

        assertThatThrownBy(launch::join).rootCause()
                .hasMessageContaining("orchide-shim --spawner (pid " + pid + ") ended")
                .hasMessageContaining("before the shim of this launch answered");
        assertThat(PidFile.exists(b)).isFalse();
    }

    @Test
    void aWorkloadOutlivesTheSpawnerAndItsExitIsStillReported() throws Exception {
        supervisor = new ShimSupervisor(TestShim.config(tmp.resolve("state"), 1 << 16), recorder);
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        RunningWorkload w = supervisor.start(new Launch(List.of("sleep", "60"), Map.of()), a, a.resolve("console"));
        kill9(supervisor.spawner().pid());

        assertThat(ProcessHandle.of(w.monitorPid()).map(ProcessHandle::isAlive)).contains(true);
        assertThat(ProcessHandle.of(w.shimPid()).map(ProcessHandle::isAlive)).contains(true);
        supervisor.signal(w, 15);
        await().atMost(WAIT).until(() -> !recorder.of(a).isEmpty());
        assertThat(recorder.of(a).getFirst().exit()).extracting(RawExit::code, RawExit::signal).containsExactly(-1, 15);
        // and the next launch gets a new spawner
        supervisor.start(new Launch(List.of("true"), Map.of()), b, b.resolve("console"));
        await().atMost(WAIT).until(() -> !recorder.of(b).isEmpty());
        assertThat(recorder.of(b).getFirst().exit().code()).isZero();
    }

    @Test
    void aShimThatEndsBeforeItsStatusLineFailsTheLaunchWithItsConsole() throws Exception {
        supervisor = new ShimSupervisor(TestShim.config(tmp.resolve("state"), 1 << 16), recorder);
        Path a = tmp.resolve("a");
        // a console path the shim cannot open: it stops before it starts anything, saying why on stderr
        Path console = Files.createDirectories(a.resolve("console-is-a-directory"));
        assertThatThrownBy(() -> supervisor.start(new Launch(List.of("true"), Map.of()), a, console))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("monitor did not start");
        assertThat(PidFile.exists(a)).isFalse();
    }
}
