package io.orchide.runtime.supervise;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads a workload's console ring: the current file {@code FILE} and the previous one {@code FILE.1}, which the
 * shim rotates so that together they stay within the configured bound.
 */
public final class ConsoleRing {
    private ConsoleRing() {
    }

    /** The last {@code lines} lines of the ring, oldest first (a partial last line included). */
    public static List<String> tail(Path console, int lines) throws IOException {
        byte[] all = concat(readIfExists(previous(console)), readIfExists(console));
        return last(split(all, true), lines);
    }

    /** The last lines joined by newlines; never throws (for error messages). */
    static String text(Path console, int lines) {
        try {
            return String.join("\n", tail(console, lines)).strip();
        } catch (IOException e) {
            return "(console unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Emits the last {@code backlog} lines, then every complete line appended to the ring, on a daemon thread
     * woken by file events, across rotations, until the follower is closed. A burst that rotates the ring twice
     * between two events loses the lines of the file rotated away unread.
     */
    public static Follower follow(Path console, int backlog, Consumer<String> onLine) throws IOException {
        return new Follower(console, backlog, onLine);
    }

    /** The rotated-away half of the ring. */
    public static Path previous(Path console) {
        return console.resolveSibling(console.getFileName() + ".1");
    }

    /** A running {@code logs -f}; close it to stop. */
    public static final class Follower implements AutoCloseable {
        private final Path console;
        private final Consumer<String> onLine;
        private final WatchService service;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private FileChannel channel;
        private Object fileKey;

        private Follower(Path console, int backlog, Consumer<String> onLine) throws IOException {
            this.console = console;
            this.onLine = onLine;
            this.service = console.getFileSystem().newWatchService();
            console.toAbsolutePath().getParent().register(service,
                    StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            openCurrent();
            byte[] current = new byte[0];
            if (channel != null) {
                current = new byte[(int) channel.size()];
                ByteBuffer bb = ByteBuffer.wrap(current);
                while (bb.hasRemaining() && channel.read(bb, bb.position()) > 0) {
                    // positional reads up to the size seen at open
                }
                channel.position(current.length);
            }
            byte[] head = concat(readIfExists(previous(console)), current);
            int lastNl = lastNewline(head);
            partial.write(head, lastNl + 1, head.length - lastNl - 1); // an unfinished line waits for its end
            last(split(head, false), backlog).forEach(onLine);
            Thread t = new Thread(this::loop, "orchide-console-follow");
            t.setDaemon(true);
            t.start();
        }

        private void openCurrent() throws IOException {
            try {
                channel = FileChannel.open(console, StandardOpenOption.READ);
                fileKey = Files.readAttributes(console, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                channel = null;
                fileKey = null;
            }
        }

        private void loop() {
            try {
                while (true) {
                    WatchKey key = service.take();
                    key.pollEvents();
                    drain();
                    key.reset();
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                closeChannel();
            } catch (IOException e) {
                closeChannel();
                throw new UncheckedIOException(e);
            }
        }

        private synchronized void drain() throws IOException {
            while (true) {
                if (channel != null) readToEnd();
                Object now;
                try {
                    now = Files.readAttributes(console, BasicFileAttributes.class).fileKey();
                } catch (NoSuchFileException e) {
                    return;
                }
                if (channel != null && Objects.equals(now, fileKey)) return;
                closeChannel(); // rotated: the old file is read to its end, continue with the new one
                openCurrent();
                if (channel == null) return;
            }
        }

        /**
         * Emits what the ring holds now, an unfinished last line included: for a follower whose writer has ended,
         * every line of it is emitted before this returns, whether or not its file event has been seen yet.
         */
        public synchronized void finish() throws IOException {
            drain();
            if (partial.size() > 0) {
                onLine.accept(partial.toString(StandardCharsets.UTF_8));
                partial.reset();
            }
        }

        private void readToEnd() throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buf) > 0) {
                buf.flip();
                for (int i = buf.position(); i < buf.limit(); i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        onLine.accept(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
                buf.clear();
            }
        }

        private void closeChannel() {
            try {
                if (channel != null) channel.close();
            } catch (IOException e) {
                // nothing left to read
            }
            channel = null;
        }

        @Override
        public void close() {
            try {
                service.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static byte[] readIfExists(Path p) throws IOException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) if (bytes[i] == '\n') return i;
        return -1;
    }

    private static List<String> split(byte[] bytes, boolean keepPartial) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (keepPartial && start < bytes.length) {
            lines.add(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static List<String> last(List<String> lines, int n) {
        return List.copyOf(lines.subList(Math.max(0, lines.size() - Math.max(0, n)), lines.size()));
    }
}
