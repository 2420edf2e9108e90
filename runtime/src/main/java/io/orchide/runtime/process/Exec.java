package io.orchide.runtime.process;

import io.orchide.model.Monitor;
import io.orchide.runtime.RuntimeConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (runc kill, probes) to completion with a time limit. */
public final class Exec {
    /** Exit code reported when the command ran past its limit or could not start. */
    public static final int FAILED = -1;

    /** What a command said: its exit code and its stdout and stderr together. */
    public record Result(int code, String output) {
        public boolean ok() { return code == 0; }

        /** The first non-blank output line, for short reasons. */
        public String firstLine() {
            return output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("exit " + code);
        }
    }

    private Exec() {
    }

    public static Result run(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(FAILED, e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()),
                Thread::startVirtualThread);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(FAILED, command.getFirst() + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), out.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return new Result(FAILED, "interrupted");
        } catch (Exception e) {
            return new Result(p.exitValue(), "");
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** An executable named {@code name} on PATH. */
    public static Optional<Path> which(String name) {
        if (name.contains("/")) return Optional.of(Path.of(name)).filter(Files::isExecutable);
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The monitor's binary: configured explicitly, else found on PATH by its wire name. */
    public static Optional<Path> binary(RuntimeConfig config, Monitor monitor) {
        return config.binary(monitor).or(() -> which(monitor.wire()));
    }
}
