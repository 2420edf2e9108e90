package io.orchide.twin.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One start of a long-lived orchide process (a node or ground): its output appended to a log of its own, and the
 * first line it prints that holds the ready marker (the process says where it listens).
 */
public final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ServiceProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code command}, copying its output to {@code log}, and returns at once; {@link #awaitReady} waits for a
     * line containing {@code marker}.
     */
    public static ServiceProcess start(String name, List<String> command, Path log, String marker,
                                       java.util.Map<String, String> env) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        ServiceProcess s = new ServiceProcess(name, pb.start());
        Thread.ofVirtual().name("output-" + name).start(() -> s.copy(log, marker));
        return s;
    }

    private void copy(Path log, String marker) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (!ready.isDone() && line.contains(marker)) ready.complete(line);
            }
        } catch (IOException e) {
            // the process ended or the log is gone: whoever waits learns it below
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited (status "
                + exitStatus() + ") before it was ready; see " + log));
    }

    private String exitStatus() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The line in which the process said it is ready. */
    public String awaitReady(Duration timeout) throws InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            kill();
            throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s");
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9 of this process alone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Asks the process to end (SIGTERM), and kills it when it has not after {@code grace}. */
    public void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) kill();
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(10));
    }
}
