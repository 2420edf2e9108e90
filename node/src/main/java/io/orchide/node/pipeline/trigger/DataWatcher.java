package io.orchide.node.pipeline.trigger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Fires onData triggers: a new, complete file in a watched directory whose name matches a subscription's glob.
 *
 * <p>One daemon thread reads the directories' events ({@link InotifyFileEvents}: inotify through the bundled helper;
 * {@link JdkFileEvents}, the JDK's WatchService, where the helper cannot run) and hands them to one timer thread,
 * which owns all state. That source is open only while a subscription is: the first {@link #watch} opens it (and
 * starts the helper), the last {@link #unwatch} ends it, so an agent without onData triggers runs no helper. A file fires once it is complete: renamed in (inotify's {@code IN_MOVED_TO}: at once; with
 * the WatchService, which cannot tell a rename from a creation, a non-empty file that stays unchanged for
 * {@link WatchSettings#createSettle()}), or written in place and then left alone for
 * {@link WatchSettings#quietPeriod()} with the same size and time when the timer goes off (with inotify the quiet
 * period runs from the writer's close, {@code IN_CLOSE_WRITE}, and a file still open for writing never fires). Hidden and
 * temporary names never fire (see {@link FileNames}). When the event queue overflows, and when a subscription
 * starts, the directory is rescanned and every complete file not yet fired fires: the catch-up after a restart and
 * the guarantee that a burst loses nothing. Subdirectories are not watched; the glob matches the file name only.
 *
 * <p>Exactly once: files are fired through the {@link FiredFiles} ledger, which records them in the transaction
 * that hands them to the subscriber. Order: per subscriber, in the order files were found complete; none across
 * subscribers.
 */
public final class DataWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataWatcher.class.getName());

    private final FiredFiles ledger;
    private final Clock clock;
    private final WatchSettings settings;
    private final EventSource source;
    private final FileEvents.Sink sink;
    private final Object eventsLock = new Object();
    /** Open while a subscription is (the helper's process costs memory): from the first watch to the last unwatch. */
    private FileEvents events; // guarded by eventsLock
    private volatile boolean exact;
    private final ScheduledExecutorService timer;
    private final Set<DataEvent> known = ConcurrentHashMap.newKeySet();
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    /** Timer thread only. */
    private final Map<Path, List<Subscription>> byDir = new HashMap<>();
    private final PendingFiles pending;
    private final java.util.concurrent.atomic.AtomicInteger overflows = new java.util.concurrent.atomic.AtomicInteger();

    private record Subscription(String subscriber, PathMatcher glob) {
    }

    /** Opens a source of file events that delivers to the given sink. */
    interface EventSource {
        FileEvents open(FileEvents.Sink sink) throws IOException;
    }

    private DataWatcher(FiredFiles ledger, Clock clock, WatchSettings settings, EventSource source) {
        this.ledger = ledger;
        this.clock = clock;
        this.settings = settings;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("orchide-data-timer").factory());
        this.pending = new PendingFiles(timer, settings, this::fire);
        this.source = source;
        this.sink = new FileEvents.Sink() {
            @Override
            public void changed(Path dir, FileChange change, Path name) {
                timer.execute(() -> onChange(dir, change, name));
            }

            @Override
            public void overflowed(Path dir) {
                timer.execute(() -> onOverflow(dir));
            }
        };
    }

    /**
     * A watcher on inotify through the bundled helper, or on the JDK's WatchService where it cannot run; either
     * starts with the first subscription and ends with the last.
     */
    public static DataWatcher start(FiredFiles ledger, Clock clock, WatchSettings settings) {
        return start(ledger, clock, settings, DataWatcher::bestEvents);
    }

    static DataWatcher start(FiredFiles ledger, Clock clock, WatchSettings settings, EventSource source) {
        return new DataWatcher(ledger, clock, settings, source);
    }

    private static FileEvents bestEvents(FileEvents.Sink sink) throws IOException {
        try {
            var inotify = InotifyFileEvents.start(sink);
            if (inotify.isPresent()) return inotify.get();
            LOG.log(System.Logger.Level.INFO, InotifyFileEvents.FILE_NAME + " not built for this host: renamed-in "
                    + "files fire after a settle of " + WatchSettings.defaults().createSettle().toMillis() + " ms");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot start " + InotifyFileEvents.FILE_NAME + " (" + e
                    + "): renamed-in files fire after a settle time");
        }
        return new JdkFileEvents(sink);
    }

    /**
     * Whether the events come from inotify (renames and closes told apart) rather than the WatchService; false
     * while no subscription has opened a source.
     */
    boolean exactEvents() {
        return exact;
    }

    /** Whether a source of events is open (the inotify helper runs, where it is the source). */
    boolean eventsOpen() {
        synchronized (eventsLock) {
            return events != null;
        }
    }

    /**
     * Subscribes {@code subscriber} to the files of {@code directory} whose name matches {@code glob}, and fires the
     * files already there that it has not fired yet. One subscriber per name; a directory may have several.
     */
    public void watch(String subscriber, Path directory, String glob, DataSubscriber callback)
            throws IOException, SQLException {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) throw new IOException("not a directory: " + dir);
        PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
        Delivery d = new Delivery(subscriber, callback, ledger, this::failed);
        if (deliveries.putIfAbsent(subscriber, d) != null) {
            closeQuietly(d);
            throw new IllegalArgumentException("subscriber already watching: " + subscriber);
        }
        try {
            known.addAll(ledger.fired(subscriber, dir));
            synchronized (eventsLock) {
                if (events == null) {
                    events = source.open(sink);
                    exact = events.exact();
                }
                events.watch(dir);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            deliveries.remove(subscriber, d);
            closeQuietly(d);
            closeEventsWhenUnused();
            throw e;
        }
        onTimer(() -> {
            byDir.computeIfAbsent(dir, k -> new ArrayList<>()).add(new Subscription(subscriber, matcher));
            rescan(dir);
        });
    }

    /** Ends the subscription of {@code subscriber}; its ledger rows stay, so files it fired never fire again. */
    public void unwatch(String subscriber) {
        Delivery d = deliveries.remove(subscriber);
        if (d == null) return;
        try {
            onTimer(() -> byDir.values().forEach(l -> l.removeIf(s -> s.subscriber().equals(subscriber))));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot unwatch " + subscriber + ": " + e, e);
        }
        closeQuietly(d);
        closeEventsWhenUnused();
    }

    /** Ends the source of events (the helper's process) once no subscription is left. */
    private void closeEventsWhenUnused() {
        synchronized (eventsLock) {
            if (events == null || !deliveries.isEmpty()) return;
            try {
                events.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot stop watching files: " + e, e);
            }
            events = null;
        }
    }

    private void onChange(Path dir, FileChange change, Path name) {
        if (!FileNames.candidate(name) || !matches(dir, name)) return;
        Path file = dir.resolve(name);
        switch (change) {
            case MOVED_IN -> pending.movedIn(file);
            case APPEARED -> pending.touch(file, false);
            case CREATED, CLOSED -> pending.touch(file, true, false);
            case WRITTEN -> pending.touch(file, true, exact);
        }
    }

    private void onOverflow(Path dir) {
        overflows.incrementAndGet();
        pending.forgetWriters();
        if (dir != null) rescan(dir);
        else List.copyOf(byDir.keySet()).forEach(this::rescan);
    }

    /** Fires every complete file of {@code dir} not yet fired; files changed in the quiet period wait for it. */
    private void rescan(Path dir) {
        Duration quiet = settings.quietPeriod();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                if (!FileNames.candidate(file) || !matches(dir, file.getFileName()) || pending.has(file)) continue;
                PendingFiles.Attrs a = PendingFiles.Attrs.of(file);
                if (a == null || allKnow(file, a)) continue;
                if (a.modified().plus(quiet).isBefore(clock.instant())) fire(file, a);
                else pending.touch(file, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot rescan " + dir + ": " + e, e);
        }
        for (Subscription s : byDir.getOrDefault(dir, List.of())) {
            Thread.ofVirtual().start(() -> prune(s.subscriber(), dir));
        }
    }

    private void prune(String subscriber, Path dir) {
        try {
            ledger.prune(subscriber, dir).forEach(known::remove);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot prune the fired files of " + subscriber + ": " + e, e);
        }
    }

    private boolean matches(Path dir, Path name) {
        for (Subscription s : byDir.getOrDefault(dir, List.of())) if (s.glob().matches(name)) return true;
        return false;
    }

    private boolean allKnow(Path file, PendingFiles.Attrs a) {
        for (Subscription s : byDir.getOrDefault(file.getParent(), List.of())) {
            if (s.glob().matches(file.getFileName()) && !known.contains(a.event(s.subscriber(), file))) return false;
        }
        return true;
    }

    /** Timer thread: hands a complete file to every matching subscriber that has not had it. */
    private void fire(Path file, PendingFiles.Attrs a) {
        for (Subscription s : byDir.getOrDefault(file.getParent(), List.of())) {
            if (!s.glob().matches(file.getFileName())) continue;
            DataEvent e = a.event(s.subscriber(), file);
            Delivery d = deliveries.get(s.subscriber());
            if (d != null && known.add(e)) d.offer(e);
        }
    }

    private void failed(DataEvent e) {
        known.remove(e);
        Path dir = e.path().getParent();
        try {
            timer.schedule(() -> rescan(dir), settings.retryDelay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException closed) {
            // shutting down: the next start fires the file
        }
    }

    /** How many times the event queue overflowed (each followed by a rescan). */
    int overflows() {
        return overflows.get();
    }

    private void onTimer(Runnable task) throws IOException {
        try {
            timer.submit(task).get();
        } catch (ExecutionException e) {
            throw new IOException("data watcher task failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Stops watching. Files found but not yet delivered are not in the ledger: the next start fires them. */
    @Override
    public void close() throws IOException {
        synchronized (eventsLock) {
            if (events != null) events.close();
            events = null;
        }
        timer.shutdownNow();
        deliveries.values().forEach(DataWatcher::closeQuietly);
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Delivery d) {
        try {
            d.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
