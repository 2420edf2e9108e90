package io.orchide.node.pipeline.trigger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
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
 * <p>One daemon thread takes the directories' {@link WatchService} keys (inotify on Linux) and hands their events
 * to one timer thread, which owns all state. A file fires once it is complete: renamed in (a creation event and a
 * non-empty file that stays unchanged for {@link WatchSettings#createSettle()}), or written in place and then left
 * alone for {@link WatchSettings#quietPeriod()} with the same size and time when the timer goes off. Hidden and
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
    private final WatchService service;
    private final ScheduledExecutorService timer;
    private final Thread thread;
    private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
    private final Set<DataEvent> known = ConcurrentHashMap.newKeySet();
    private final Map<String, Delivery> deliveries = new ConcurrentHashMap<>();
    /** Timer thread only. */
    private final Map<Path, List<Subscription>> byDir = new HashMap<>();
    private final PendingFiles pending;
    private final java.util.concurrent.atomic.AtomicInteger overflows = new java.util.concurrent.atomic.AtomicInteger();

    private record Subscription(String subscriber, PathMatcher glob) {
    }

    private DataWatcher(FiredFiles ledger, Clock clock, WatchSettings settings) throws IOException {
        this.ledger = ledger;
        this.clock = clock;
        this.settings = settings;
        this.service = Path.of("/").getFileSystem().newWatchService();
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("orchide-data-timer").factory());
        this.pending = new PendingFiles(timer, settings, this::fire);
        this.thread = Thread.ofPlatform().daemon().name("orchide-data-watch").start(this::watchLoop);
    }

    public static DataWatcher start(FiredFiles ledger, Clock clock, WatchSettings settings) throws IOException {
        return new DataWatcher(ledger, clock, settings);
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
        known.addAll(ledger.fired(subscriber, dir));
        keys.put(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY),
                dir);
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
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = keys.get(key);
                List<WatchEvent<?>> events = key.pollEvents();
                if (!key.reset()) {
                    keys.remove(key);
                    LOG.log(System.Logger.Level.WARNING, "directory no longer watched (removed?): " + dir);
                }
                if (dir != null) timer.execute(() -> onEvents(dir, events));
            }
        } catch (ClosedWatchServiceException | InterruptedException stop) {
            // closed
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "data watcher stopped", e);
        }
    }

    private void onEvents(Path dir, List<WatchEvent<?>> events) {
        for (WatchEvent<?> e : events) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
                overflows.incrementAndGet();
                rescan(dir);
            } else if (e.context() instanceof Path name && FileNames.candidate(name) && matches(dir, name)) {
                pending.touch(dir.resolve(name), e.kind() == StandardWatchEventKinds.ENTRY_MODIFY);
            }
        }
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
        service.close();
        timer.shutdownNow();
        deliveries.values().forEach(DataWatcher::closeQuietly);
        try {
            thread.join(5_000);
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
