package io.orchide.runtime.supervise;

import io.orchide.runtime.ExitListener;
import io.orchide.runtime.RawExit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One shared {@link WatchService} (inotify on Linux) over run directories: reports the {@code exit} file of each
 * watched directory exactly once to the listener, from a single delivery thread, then stops watching it.
 */
final class ExitWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ExitWatcher.class.getName());

    private record Registration(Path dir, WatchKey key, AtomicBoolean reported) {
    }

    private final ExitListener listener;
    private final Clock clock;
    private final WatchService service;
    private final Map<WatchKey, Registration> byKey = new ConcurrentHashMap<>();
    private final ExecutorService delivery;
    private final Thread thread;

    ExitWatcher(ExitListener listener, Clock clock) {
        this.listener = listener;
        this.clock = clock;
        try {
            this.service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.delivery = Executors.newSingleThreadExecutor(r -> daemon(r, "orchide-exit-listener"));
        this.thread = daemon(this::loop, "orchide-exit-watcher");
        thread.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Watches {@code dir} until its exit file appears (at once if it is already there). */
    void watch(Path dir) throws IOException {
        WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
        Registration reg = new Registration(dir, key, new AtomicBoolean());
        if (byKey.putIfAbsent(key, reg) != null) return; // already watched: its registration reports
        // The exit file may have appeared before the watch was in place.
        if (ExitFile.exists(dir)) report(reg);
    }

    /** Reports {@code exit} for {@code dir} without watching it. */
    void deliver(Path dir, RawExit exit) {
        delivery.execute(() -> {
            try {
                listener.exited(dir, exit);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "exit listener failed for " + dir, e);
            }
        });
    }

    private void report(Registration reg) {
        if (!reg.reported().compareAndSet(false, true)) return;
        reg.key().cancel();
        byKey.remove(reg.key(), reg);
        RawExit exit;
        try {
            exit = ExitFile.read(reg.dir());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "unreadable exit file in " + reg.dir(), e);
            exit = new RawExit(-1, 0, clock.instant());
        }
        deliver(reg.dir(), exit);
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                Registration reg = byKey.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        byKey.values().stream().filter(r -> ExitFile.exists(r.dir())).forEach(this::report);
                    } else if (reg != null && ExitFile.NAME.equals(event.context().toString())) {
                        report(reg);
                    }
                }
                key.reset();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing watch service", e);
        }
        delivery.shutdown();
    }
}
