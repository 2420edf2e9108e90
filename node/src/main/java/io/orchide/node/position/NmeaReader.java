package io.orchide.node.position;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the lines a GNSS receiver writes to {@code path} (its serial device node, a pipe, or a file a gpsd-like
 * process appends to) on a thread of its own and hands each to a consumer. A line longer than
 * {@link #MAX_LINE} bytes (a receiver sending binary, a wrong baud rate) is cut there and handed on, to be rejected
 * as a sentence, so that nothing it sends can grow the agent's memory. At the end of a regular file the reader waits
 * for the file to change (a file event, not a poll); a device that closes or cannot be opened is tried again after a
 * pause that doubles up to {@link #MAX_PAUSE_MS}.
 */
public final class NmeaReader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NmeaReader.class.getName());
    /** The longest line handed on whole; NMEA allows 82 characters. */
    public static final int MAX_LINE = 256;
    static final long MAX_PAUSE_MS = 30_000;

    private final Path path;
    private final Consumer<String> lines;
    private final Thread thread;
    private volatile boolean closed;
    private volatile WatchService watch;

    private NmeaReader(Path path, Consumer<String> lines) {
        this.path = Objects.requireNonNull(path, "path");
        this.lines = Objects.requireNonNull(lines, "lines");
        this.thread = Thread.ofPlatform().daemon().name("nmea-" + path.getFileName()).unstarted(this::run);
    }

    /** Starts reading {@code path}. */
    public static NmeaReader start(Path path, Consumer<String> lines) {
        NmeaReader r = new NmeaReader(path, lines);
        r.thread.start();
        return r;
    }

    private void run() {
        long pause = 1000;
        while (!closed) {
            try (InputStream in = Files.newInputStream(path)) {
                pause = 1000;
                read(in);
            } catch (InterruptedIOException | InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "GNSS receiver at " + path + ": " + e.getMessage()
                        + "; trying again in " + pause + " ms");
            }
            try {
                Thread.sleep(pause); // a device that went away: nothing signals its return
            } catch (InterruptedException e) {
                return;
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MS);
        }
    }

    /** Reads lines until the end of a device, or forever on a regular file (waiting for it to grow). */
    private void read(InputStream in) throws IOException, InterruptedException {
        byte[] line = new byte[MAX_LINE];
        int n = 0;
        byte[] buf = new byte[4096];
        while (!closed) {
            int got = in.read(buf);
            if (got < 0) {
                if (!Files.isRegularFile(path)) return;
                awaitChange();
                continue;
            }
            for (int i = 0; i < got; i++) {
                byte b = buf[i];
                if (b == '\n' || b == '\r' || n == MAX_LINE) {
                    if (n > 0) lines.accept(new String(line, 0, n, StandardCharsets.US_ASCII));
                    n = 0;
                    if (b == '\n' || b == '\r') continue;
                }
                line[n++] = b;
            }
        }
    }

    private void awaitChange() throws IOException, InterruptedException {
        if (watch == null) {
            watch = path.getFileSystem().newWatchService();
            path.toAbsolutePath().getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_CREATE);
        }
        var key = watch.poll(60, TimeUnit.SECONDS); // bounded, so that a missed event only delays a line
        if (key != null) {
            key.pollEvents();
            key.reset();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        WatchService w = watch;
        if (w != null) w.close();
    }
}
