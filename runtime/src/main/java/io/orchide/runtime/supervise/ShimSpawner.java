package io.orchide.runtime.supervise;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts shims through one long-lived {@code orchide-shim --spawner} instead of a JVM spawn per shim: the JDK
 * spawns through a helper program that then execs the shim, where the spawner forks itself and the fork is the
 * shim. The protocol (request frames on the spawner's stdin, one answer line each on its stdout) is written at the
 * top of {@code native/shim/orchide-shim.c}.
 *
 * <p>A spawner that has died is replaced by the next launch; a launch it died in the middle of fails with that
 * reason unless its shim still answers (a forked shim answers on the same pipe, so the spawner's death loses no
 * answer already under way). The spawner's end never ends a workload: its shims are adopted by init.
 */
public final class ShimSpawner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ShimSpawner.class.getName());

    private final Path shim;
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private Helper helper; // guarded by lock
    private boolean closed; // guarded by lock

    public ShimSpawner(Path shim) {
        this.shim = shim;
    }

    /** What to start: the shim's arguments and the monitor's command line and extra environment. */
    public record Request(Path runDir, Path console, long logMaxBytes, Map<String, String> env, List<String> command) {
        public Request {
            env = Map.copyOf(env);
            command = List.copyOf(command);
        }
    }

    /** A shim's one status line: {@code ready <monitor pid>} or {@code failed <reason>}; null when it ended silent. */
    public record Answer(String line) {
    }

    /** The spawner could not start a shim or say how it went, with the reason. */
    public static final class SpawnException extends Exception {
        private final long shimPid;

        SpawnException(String message, long shimPid, Throwable cause) {
            super(message, cause);
            this.shimPid = shimPid;
        }

        /** The shim that was forked before the failure (to end it), or 0 when none is known. */
        public long shimPid() {
            return shimPid;
        }
    }

    /** Starts one shim and waits at most {@code timeout} for its status line. */
    public Answer spawn(Request request, Duration timeout) throws SpawnException, InterruptedException {
        long id = ids.incrementAndGet();
        Pending p = new Pending();
        byte[] frame = frame(id, request);
        Helper h;
        synchronized (lock) {
            if (closed) throw new SpawnException("the shim spawner is closed", 0, null);
            h = running();
            h.pending.put(id, p);
            try {
                h.send(frame);
            } catch (IOException first) {
                // it ended since the last launch and did not read this one: one new spawner, one more try
                h.pending.remove(id);
                h.forget();
                h = running();
                h.pending.put(id, p);
                try {
                    h.send(frame);
                } catch (IOException e) {
                    h.pending.remove(id);
                    throw new SpawnException("cannot send a launch to orchide-shim --spawner: " + e.getMessage(), 0, e);
                }
            }
        }
        try {
            return new Answer(p.line.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new SpawnException("orchide-shim did not report the monitor started within " + timeout, p.shimPid, e);
        } catch (ExecutionException e) {
            throw new SpawnException(e.getCause().getMessage(), p.shimPid, e.getCause());
        } finally {
            h.pending.remove(id);
        }
    }

    /** The pid of the spawner process now serving launches, or 0 when none runs (for tests and diagnostics). */
    public long pid() {
        synchronized (lock) {
            return helper == null || !helper.process.isAlive() ? 0 : helper.process.pid();
        }
    }

    /** Launches sent and not answered yet; under the lock, so a launch counted here has been written to the spawner. */
    int waiting() {
        synchronized (lock) {
            return helper == null ? 0 : helper.pending.size();
        }
    }

    /** Ends the spawner (it exits at the end of its input); the shims it started and their monitors go on. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (helper != null) helper.forget();
            helper = null;
        }
    }

    private Helper running() throws SpawnException {
        if (helper != null && !helper.ended) return helper;
        if (helper != null) helper.forget();
        ProcessBuilder pb = new ProcessBuilder(shim.toString(), "--spawner")
                .directory(Path.of("/").toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            helper = new Helper(pb.start());
        } catch (IOException e) {
            throw new SpawnException("cannot start " + shim + " --spawner: " + e.getMessage(), 0, e);
        }
        return helper;
    }

    private static byte[] frame(long id, Request r) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        field(body, Long.toString(id));
        field(body, r.runDir().toAbsolutePath().toString());
        field(body, r.console().toAbsolutePath().toString());
        field(body, Long.toString(r.logMaxBytes()));
        field(body, Integer.toString(r.env().size()));
        r.env().forEach((k, v) -> field(body, k + "=" + v));
        r.command().forEach(a -> field(body, a));
        byte[] b = body.toByteArray();
        return ByteBuffer.allocate(4 + b.length).putInt(b.length).put(b).array();
    }

    private static void field(ByteArrayOutputStream out, String s) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException("a launch argument holds a NUL byte: " + s);
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    /** A launch waiting for its shim's line; {@code shimPid} is set by the spawner's answer, read after that. */
    private static final class Pending {
        final CompletableFuture<String> line = new CompletableFuture<>();
        volatile long shimPid;
    }

    /** One spawner process, the launches waiting on it, and the thread reading its answers. */
    private static final class Helper {
        final Process process;
        final OutputStream in;
        final Map<Long, Pending> pending = new ConcurrentHashMap<>();
        volatile boolean ended;

        Helper(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
            Thread.ofPlatform().daemon().name("orchide-shim-spawner-" + process.pid()).start(this::read);
        }

        void send(byte[] frame) throws IOException {
            in.write(frame);
            in.flush();
        }

        /** No more launches go to this one: closing its input ends it once it has handled what it read. */
        void forget() {
            ended = true;
            try {
                in.close();
            } catch (IOException e) {
                // it has gone already
            }
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) answer(line);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read orchide-shim --spawner: " + e.getMessage());
            }
            // The end of its output: the spawner and every shim it started before have closed it.
            ended = true;
            String status;
            try {
                status = process.waitFor(1, TimeUnit.SECONDS) ? "exit status " + process.exitValue() : "still running";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = "interrupted";
            }
            String reason = "orchide-shim --spawner (pid " + process.pid() + ") ended (" + status
                    + ") before the shim of this launch answered";
            pending.values().forEach(p -> p.line.completeExceptionally(new IOException(reason)));
            pending.clear();
        }

        private void answer(String line) {
            String[] w = line.split(" ", 3);
            if (w.length >= 2 && w[0].equals("exited")) {
                // a shim that ended before its status line: the launch fails with what its console says
                long pid = Long.parseLong(w[1]);
                pending.entrySet().removeIf(e -> {
                    if (e.getValue().shimPid != pid) return false;
                    e.getValue().line.complete(null);
                    return true;
                });
                return;
            }
            if (w.length < 3) {
                LOG.log(System.Logger.Level.WARNING, "orchide-shim --spawner said: " + line);
                return;
            }
            Long id = parseId(w[0]);
            Pending p = id == null ? null : pending.get(id);
            if (p == null) return;
            if (w[1].equals("spawned")) {
                p.shimPid = Long.parseLong(w[2]); // unless the shim's own line came first and answered the launch
            } else {
                pending.remove(id);
                p.line.complete(w[1] + " " + w[2]);
            }
        }

        private static Long parseId(String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
