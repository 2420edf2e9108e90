package io.orchide.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One start of a long-lived orchide process (node or ground): its output in a log of its own, ready when it says so. */
final class ServiceProcess implements AutoCloseable {
    private final Process process;

    private ServiceProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code cmd} with its output in {@code log} and waits (60 s at most) until the log holds {@code ready}. */
    static ServiceProcess start(List<String> cmd, Path log, String ready) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(ready)) return new ServiceProcess(p);
            if (!p.isAlive()) throw new IllegalStateException(cmd.get(cmd.indexOf("-jar") + 2) + " exited: " + Files.readString(log));
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException(cmd.get(cmd.indexOf("-jar") + 2) + " did not start: " + Files.readString(log));
    }

    long pid() { return process.pid(); }

    /** kill -9: the process dies at once (a node's workloads do not). */
    void kill9() throws InterruptedException {
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
