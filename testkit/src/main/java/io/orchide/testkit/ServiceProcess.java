package io.orchide.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One start of a long-lived orchide process (node or ground) from the built distribution jar: its output in a log
 * of its own, ready when the log says so.
 */
public final class ServiceProcess implements AutoCloseable {
    /** The distribution jar: system property {@code orchide.jar} (set by the build), else cli/target/orchide.jar. */
    public static final Path JAR = Path.of(System.getProperty("orchide.jar",
            Repo.root().resolve("cli/target/orchide.jar").toString()));

    private final Process process;

    private ServiceProcess(Process process) {
        this.process = process;
    }

    /** The java launching this test JVM, so the process runs on the same JDK. */
    public static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code java <jvmOptions> -jar orchide.jar <args>}. */
    public static List<String> orchide(List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code cmd} with its output in {@code log} and waits (60 s at most) until the log holds {@code ready}. */
    public static ServiceProcess start(List<String> cmd, Path log, String ready) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String what = cmd.contains("-jar") ? cmd.get(cmd.indexOf("-jar") + 2) : cmd.get(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(ready)) return new ServiceProcess(p);
            if (!p.isAlive()) throw new IllegalStateException(what + " exited: " + Files.readString(log));
            TimeUnit.MILLISECONDS.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException(what + " did not start within 60 s: " + Files.readString(log));
    }

    public long pid() {
        return process.pid();
    }

    /** kill -9: the process dies at once (a node's workloads do not). */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) kill9();
        }
    }
}
