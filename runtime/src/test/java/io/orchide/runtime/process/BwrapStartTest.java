package io.orchide.runtime.process;

import io.orchide.runtime.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.orchide.runtime.process.FakeProc.BWRAP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BwrapStartTest {
    private static final Path OTHER = Path.of("/usr/bin/qemu-system-x86_64");

    @TempDir
    Path tmp;

    /** bwrap's own processes: bwrap, its init in the new pid namespace, and the init's fork for the program. */
    private FakeProc machine() throws Exception {
        return new FakeProc(tmp.resolve("proc"), true)
                .process(1, 0, Path.of("/sbin/init"))
                .process(50, 1, Path.of("/usr/local/bin/orchide-shim"))
                .process(100, 50, BWRAP)
                .process(101, 100, BWRAP)
                .process(102, 101, BWRAP);
    }

    private Path runDir() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("pid"), "shim=50\nmonitor=100\nstarttime=7\n");
        return dir;
    }

    @Test
    void startedOnceBwrapExecdTheProgram() throws Exception {
        FakeProc proc = machine().exec(102, Path.of("/usr/bin/true"));
        Path dir = runDir();
        BwrapStart check = new BwrapStart(BWRAP, new ProcessTree(proc.root()));

        assertThatCode(() -> check.awaitStarted(dir, dir.resolve("console"), () -> false)).doesNotThrowAnyException();
    }

    @Test
    void aProgramBwrapCouldNotExecIsALaunchFailure() throws Exception {
        // other processes that claim bwrap as their parent and run something else are not bwrap's program
        FakeProc proc = machine().unlisted(1000, 100, 100, OTHER);
        Path dir = runDir();
        Files.writeString(dir.resolve("console"), "bwrap: execvp /opt/app: No such file or directory\n");
        BwrapStart check = new BwrapStart(BWRAP, new ProcessTree(proc.root()));

        assertThatThrownBy(() -> check.awaitStarted(dir, dir.resolve("console"), () -> true))
                .isInstanceOfSatisfying(LaunchException.class,
                        e -> assertThat(e.reason()).isEqualTo("bwrap exited before the program started"));
    }

    @Test
    void aProgramThatEndedBeforeItWasSeenStarted() throws Exception {
        FakeProc proc = machine();
        Path dir = runDir();
        Files.writeString(dir.resolve("console"), "done\n");
        BwrapStart check = new BwrapStart(BWRAP, new ProcessTree(proc.root()));

        assertThatCode(() -> check.awaitStarted(dir, dir.resolve("console"), () -> true)).doesNotThrowAnyException();
    }
}
