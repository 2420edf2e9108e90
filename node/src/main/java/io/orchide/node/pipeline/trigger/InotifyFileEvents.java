package io.orchide.node.pipeline.trigger;

import io.orchide.model.Arch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Exact file events from inotify, read from the bundled {@code orchide-inotify} helper (native/shim) over a pipe:
 * a file renamed in ({@code IN_MOVED_TO}) is told from one created in place, and a writer's close
 * ({@code IN_CLOSE_WRITE}) is reported, which the JDK's WatchService does neither.
 *
 * <p>Why a helper process: the agent is compiled for and runs on Java 21, where the FFM API that could call
 * inotify from Java is not final (it is from 22); a helper built and bundled like {@code orchide-shim} works on
 * every runtime, costs one idle process blocked in {@code poll()}, and dies with the agent (end of its stdin, and
 * {@code PR_SET_PDEATHSIG}). Its executable is written to a private temporary directory, started, and deleted at
 * once, so nothing is left behind however the agent ends. See native/shim/orchide-inotify.c for the protocol.
 */
final class InotifyFileEvents implements FileEvents {
    private static final System.Logger LOG = System.getLogger(InotifyFileEvents.class.getName());
    static final String FILE_NAME = "orchide-inotify";
    private static final Charset NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private record Request(Path dir, CompletableFuture<Integer> answer) {
    }

    private final Process process;
    private final OutputStream requests;
    private final Sink sink;
    private final Queue<Request> asked = new ArrayDeque<>();
    private final Map<Integer, Path> dirs = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;

    private InotifyFileEvents(Process process, Sink sink) {
        this.process = process;
        this.requests = process.getOutputStream();
        this.sink = sink;
        this.thread = Thread.ofPlatform().daemon().name("orchide-data-watch").start(this::loop);
    }

    /** Classpath resource of the helper for the host architecture (built beside the shim, in the runtime's jar). */
    static String resource() {
        return "/io/orchide/runtime/supervise/native/linux-" + Arch.host().wire() + "/" + FILE_NAME;
    }

    /** Starts the helper; empty when this jar carries none for the host (no C compiler at build, not Linux). */
    static Optional<FileEvents> start(Sink sink) throws IOException {
        byte[] binary;
        try (InputStream in = InotifyFileEvents.class.getResourceAsStream(resource())) {
            if (in == null || !System.getProperty("os.name", "").equals("Linux")) return Optional.empty();
            binary = in.readAllBytes();
        }
        Path dir = Files.createTempDirectory("orchide-inotify",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path exe = dir.resolve(FILE_NAME);
        Process p;
        try {
            Files.write(exe, binary);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
            p = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } finally {
            Files.deleteIfExists(exe);
            Files.deleteIfExists(dir);
        }
        return Optional.of(new InotifyFileEvents(p, sink));
    }

    @Override
    public void watch(Path dir) throws IOException {
        byte[] path = dir.toString().getBytes(NAMES);
        for (byte b : path) if (b == 0) throw new IOException("directory name holds a NUL byte: " + dir);
        Request r = new Request(dir, new CompletableFuture<>());
        synchronized (asked) {
            if (!process.isAlive()) throw new IOException(FILE_NAME + " has ended (exit " + process.exitValue()
                    + "): cannot watch " + dir);
            asked.add(r);
            requests.write(path);
            requests.write(0);
            requests.flush();
        }
        try {
            int wd = r.answer().get(30, TimeUnit.SECONDS);
            if (wd < 0) throw new IOException("cannot watch " + dir + ": inotify_add_watch errno " + -wd);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot watch " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while watching " + dir, e);
        }
    }

    @Override
    public boolean exact() {
        return true;
    }

    private void loop() {
        try (InputStream in = new BufferedInputStream(process.getInputStream())) {
            ByteArrayOutputStream record = new ByteArrayOutputStream(64);
            for (int b; (b = in.read()) >= 0; ) {
                if (b != 0) {
                    record.write(b);
                    continue;
                }
                onRecord(record.toByteArray());
                record.reset();
            }
            if (!closing) LOG.log(System.Logger.Level.ERROR, FILE_NAME + " ended: data triggers fire only on a "
                    + "rescan (subscription, retry) until the agent restarts");
        } catch (IOException | RuntimeException e) {
            if (!closing) LOG.log(System.Logger.Level.ERROR, "data watcher stopped: " + e, e);
        } finally {
            synchronized (asked) {
                asked.forEach(r -> r.answer().completeExceptionally(new IOException(FILE_NAME + " ended")));
                asked.clear();
            }
        }
    }

    private void onRecord(byte[] r) {
        if (r.length == 0) return;
        char kind = (char) r[0];
        int tab = indexOf(r, (byte) '\t');
        int number = r.length == 1 ? -1 : Integer.parseInt(new String(r, 1, (tab < 0 ? r.length : tab) - 1,
                NAMES));
        switch (kind) {
            case 'A', 'F' -> {
                Request q;
                synchronized (asked) {
                    q = asked.poll();
                }
                if (q == null) throw new IllegalStateException(FILE_NAME + " answered a request never made");
                if (kind == 'A') dirs.put(number, q.dir());
                q.answer().complete(kind == 'A' ? number : -number);
            }
            case 'O' -> sink.overflowed(null);
            case 'I' -> {
                Path dir = dirs.remove(number);
                if (dir != null) LOG.log(System.Logger.Level.WARNING, "directory no longer watched (removed?): "
                        + dir);
            }
            case 'C', 'M', 'N', 'W' -> {
                Path dir = dirs.get(number);
                if (dir == null || tab < 0) return;
                Path name = Path.of(new String(r, tab + 1, r.length - tab - 1, NAMES));
                sink.changed(dir, switch (kind) {
                    case 'C' -> FileChange.CLOSED;
                    case 'M' -> FileChange.MOVED_IN;
                    case 'N' -> FileChange.CREATED;
                    default -> FileChange.WRITTEN;
                }, name);
            }
            default -> throw new IllegalStateException(FILE_NAME + " sent an unknown record kind: " + kind);
        }
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) if (a[i] == b) return i;
        return -1;
    }

    /** Ends the helper: the end of its stdin makes it exit. */
    @Override
    public void close() throws IOException {
        closing = true;
        synchronized (asked) {
            try {
                requests.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
