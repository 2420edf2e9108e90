package io.orchide.node.pipeline.trigger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * File events from the JDK's {@link WatchService}: the fallback where the inotify helper cannot run. It reports a
 * file renamed in and a file created in place both as {@link FileChange#APPEARED}, and never a writer's close.
 */
final class JdkFileEvents implements FileEvents {
    private static final System.Logger LOG = System.getLogger(JdkFileEvents.class.getName());

    private final WatchService service;
    private final Sink sink;
    private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
    private final Thread thread;

    JdkFileEvents(Sink sink) throws IOException {
        this.sink = sink;
        this.service = Path.of("/").getFileSystem().newWatchService();
        this.thread = Thread.ofPlatform().daemon().name("orchide-data-watch").start(this::loop);
    }

    @Override
    public void watch(Path dir) throws IOException {
        keys.put(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY),
                dir);
    }

    @Override
    public boolean exact() {
        return false;
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = keys.get(key);
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (dir == null) continue;
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) sink.overflowed(dir);
                    else if (e.context() instanceof Path name) {
                        sink.changed(dir, e.kind() == StandardWatchEventKinds.ENTRY_MODIFY ? FileChange.WRITTEN
                                : FileChange.APPEARED, name);
                    }
                }
                if (!key.reset()) {
                    keys.remove(key);
                    LOG.log(System.Logger.Level.WARNING, "directory no longer watched (removed?): " + dir);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stop) {
            // closed
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "data watcher stopped", e);
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
