package io.orchide.runtime.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.orchide.runtime.process.FakeProc.BWRAP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProcessTreeTest {
    private static final Path TRUE = Path.of("/usr/bin/true");
    private static final Path OTHER = Path.of("/usr/bin/qemu-system-x86_64");

    @TempDir
    Path tmp;

    /** bwrap (100) forks its init (101) in the new pid namespace, which forks (102) and execs the program there. */
    private FakeProc sandbox(boolean childLists) throws Exception {
        return new FakeProc(tmp.resolve("proc"), childLists)
                .process(1, 0, Path.of("/sbin/init"))
                .process(50, 1, Path.of("/usr/local/bin/orchide-shim"))
                .process(100, 50, BWRAP)
                .process(101, 100, BWRAP)
                .process(102, 101, BWRAP);
    }

    @Test
    void theProgramRunsOnceAProcessUnderBwrapExecdIt() throws Exception {
        FakeProc proc = sandbox(true);
        ProcessTree tree = new ProcessTree(proc.root());
        assertThat(tree.runsOtherThan(100, BWRAP)).as("forked, not yet exec'd").isFalse();

        proc.exec(102, TRUE);

        assertThat(tree.runsOtherThan(100, BWRAP)).isTrue();
    }

    @Test
    void withChildListsOnlyBwrapsOwnProcessesAreRead() throws Exception {
        // 300 processes whose stat names bwrap as their parent and which run another program: a look that read
        // every process on the machine would take them for the program. The kernel's lists do not name them.
        FakeProc proc = sandbox(true).unlisted(1000, 300, 100, OTHER);
        ProcessTree tree = new ProcessTree(proc.root());

        assertThat(tree.runsOtherThan(100, BWRAP)).isFalse();
        assertThat(tree.descendants(100)).containsExactly(101L, 102L);

        proc.exec(102, TRUE);
        assertThat(tree.runsOtherThan(100, BWRAP)).isTrue();
    }

    @Test
    void withoutChildListsEveryProcessesParentIsRead() throws Exception {
        FakeProc proc = sandbox(false).process(103, 1, OTHER);
        ProcessTree tree = new ProcessTree(proc.root());
        assertThat(tree.runsOtherThan(100, BWRAP)).isFalse();
        assertThat(tree.descendants(100)).containsExactly(101L, 102L);

        proc.exec(102, TRUE);

        assertThat(tree.runsOtherThan(100, BWRAP)).isTrue();
    }

    @Test
    void aProcessThatIsGoneHasNoDescendants() throws Exception {
        ProcessTree tree = new ProcessTree(sandbox(true).root());
        assertThat(tree.runsOtherThan(4242, BWRAP)).isFalse();
        assertThat(tree.descendants(4242)).isEmpty();
    }

    @Test
    void findsAChildProcessOnThisHost() throws Exception {
        Process shell = new ProcessBuilder("/bin/sh", "-c", "sleep 60 & wait").start();
        try {
            Path sh = Path.of("/bin/sh").toRealPath();
            await().atMost(Duration.ofSeconds(10)).until(() -> ProcessTree.SYSTEM.runsOtherThan(shell.pid(), sh));
            assertThat(ProcessTree.SYSTEM.descendants(shell.pid())).hasSize(1);
        } finally {
            ProcessTree.SYSTEM.descendants(shell.pid()).forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroy));
            shell.destroyForcibly().waitFor();
        }
    }
}
