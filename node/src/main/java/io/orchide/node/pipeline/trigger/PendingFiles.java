package io.orchide.node.pipeline.trigger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Files seen but not yet complete, each with one timer (no polling): a creation the source cannot tell from a rename
 * waits {@link WatchSettings#createSettle()}, a write or a writer's close {@link WatchSettings#quietPeriod()}, and
 * every new event restarts the wait. When the timer goes off the file must still have the size and time it had when
 * the wait started, and a file that is still empty waits a quiet period more (its writer may not have written yet).
 * Where the source reports closes, a file written and not closed since stays open: it waits until it is closed,
 * however long its writer pauses. A file renamed in fires at once. Timer thread only.
 */
final class PendingFiles {
    /** A regular file's size and modification time. */
    record Attrs(long size, Instant modified) {
        /** The attributes of a regular file, or null when {@code file} is gone or not a regular file. */
        static Attrs of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return a.isRegularFile() ? new Attrs(a.size(), a.lastModifiedTime().toInstant()) : null;
            } catch (IOException gone) {
                return null;
            }
        }

        DataEvent event(String subscriber, Path file) {
            return new DataEvent(subscriber, file, size, modified);
        }
    }

    /** Called on the timer thread with a file found complete. */
    interface Complete {
        void fire(Path file, Attrs attrs);
    }

    private record Pending(long id, Attrs seen, boolean written, boolean open, ScheduledFuture<?> timer) {
    }

    private final ScheduledExecutorService timer;
    private final WatchSettings settings;
    private final Complete complete;
    private final Map<Path, Pending> pending = new HashMap<>();
    private long nextId;

    PendingFiles(ScheduledExecutorService timer, WatchSettings settings, Complete complete) {
        this.timer = timer;
        this.settings = settings;
        this.complete = complete;
    }

    boolean has(Path file) {
        return pending.containsKey(file);
    }

    /** Something happened to {@code file}: (re)starts its wait; {@code written} when it was a write. */
    void touch(Path file, boolean written) {
        touch(file, written, false);
    }

    /**
     * Something happened to {@code file}: (re)starts its wait; {@code written} when it was a write or a close,
     * {@code open} when it was a write that a close will follow (only where the source reports closes).
     */
    void touch(Path file, boolean written, boolean open) {
        Pending p = pending.remove(file);
        if (p != null) {
            p.timer().cancel(false);
            written |= p.written();
        }
        Attrs a = Attrs.of(file);
        if (a != null) schedule(file, a, written, open);
    }

    /**
     * Events were lost, closes among them: no file counts as held open any more, so each fires after the quiet
     * period as where the source reports no closes, rather than waiting for a close that may never be reported.
     */
    void forgetWriters() {
        pending.replaceAll((file, p) -> p.open() ? new Pending(p.id(), p.seen(), p.written(), false, p.timer()) : p);
    }

    /** {@code file} was renamed in: it is complete now. */
    void movedIn(Path file) {
        Pending p = pending.remove(file);
        if (p != null) p.timer().cancel(false);
        Attrs a = Attrs.of(file);
        if (a != null) complete.fire(file, a);
    }

    private void schedule(Path file, Attrs seen, boolean written, boolean open) {
        long id = ++nextId;
        Duration wait = written ? settings.quietPeriod() : settings.createSettle();
        ScheduledFuture<?> f = timer.schedule(() -> check(file, id), wait.toNanos(), TimeUnit.NANOSECONDS);
        pending.put(file, new Pending(id, seen, written, open, f));
    }

    private void check(Path file, long id) {
        Pending p = pending.get(file);
        if (p == null || p.id() != id) return;
        pending.remove(file);
        Attrs now = Attrs.of(file);
        if (now == null) return;
        if (p.open() || !now.equals(p.seen()) || (now.size() == 0 && !p.written())) {
            schedule(file, now, true, p.open());
            return;
        }
        complete.fire(file, now);
    }
}
