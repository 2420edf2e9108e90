package io.orchide.cli.it;

import io.orchide.testkit.ServiceProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/getting-started.md, README.md and docs/images.md work when pasted: the command blocks of each run in order, as one shell session, from a directory
 * that shows the repository's files as a clone does (links to them, and a copy of {@code examples}, which the document
 * builds in and names in manifests), on fresh data directories; every command must succeed.
 * Servers the document starts in the background are stopped at the end with the whole process group, and whatever
 * they left running (monitors under the shim outlive their agent by design) is found by the test's directory in
 * its command line.
 */
class DocsAsPastedIT {
    private static final long LIMIT_MINUTES = 12; // a guard against a hang: about 3 minutes on an idle machine

    @ParameterizedTest
    @ValueSource(strings = {"docs/getting-started.md", "README.md", "docs/images.md"})
    void everyCommandWorksAsPasted(String doc) throws Exception {
        List<DocCommands.Command> commands = DocCommands.of(Files.readString(Agent.REPO.resolve(doc)));
        assertThat(commands).as("command lines of " + doc).hasSizeGreaterThan(5);

        Path work = Files.createTempDirectory("orchide-doc-");
        Path clone = Files.createDirectory(work.resolve("clone"));
        Path tmp = Files.createDirectory(work.resolve("tmp"));
        try (Stream<Path> top = Files.list(Agent.REPO)) {
            for (Path p : top.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || name.equals("examples")) continue;
                Files.createSymbolicLink(clone.resolve(name), p);
            }
        }
        // a real copy: the paths that manifests name resolve to files here, not through a link to the repository
        Process copy = new ProcessBuilder("cp", "-a", Agent.REPO.resolve("examples").toString(), clone.toString())
                .redirectErrorStream(true).start();
        assertThat(copy.waitFor()).as(new String(copy.getInputStream().readAllBytes())).isZero();
        Path script = work.resolve("doc.sh");
        Files.writeString(script, DocScript.of(doc, commands, tmp, DocsAsPastedIT::freePort));
        Path log = work.resolve("doc.log");

        ProcessBuilder pb = new ProcessBuilder("setsid", "bash", script.toString()).directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("ORCHIDE_SERVER");
        pb.environment().put("ORCHIDE_NO_BUILD", "1"); // the distribution under test is the one just packaged
        pb.environment().put("JAVA_HOME", Path.of(ServiceProcess.javaBin()).getParent().getParent().toString());
        Process shell = pb.start();
        boolean ended;
        try {
            ended = shell.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES);
        } finally {
            stopEverythingStartedUnder(shell.pid(), work);
        }
        String output = Files.readString(log);
        assertThat(ended).as("%s still running after %d minutes; its output:%n%s", doc, LIMIT_MINUTES, output).isTrue();
        assertThat(shell.exitValue()).as("%s: a command failed (script %s); its output:%n%s", doc, script, output).isZero();
        deleteTree(work);
    }

    /** The session's process group, then anything still running with the test's directory in its command line. */
    private static void stopEverythingStartedUnder(long groupLeader, Path work) throws Exception {
        new ProcessBuilder("kill", "-TERM", "--", "-" + groupLeader).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(work.toString())).orElse(false)).toList();
        left.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
        new ProcessBuilder("kill", "-KILL", "--", "-" + groupLeader).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static int freePort() {
        try {
            return Fixtures.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
