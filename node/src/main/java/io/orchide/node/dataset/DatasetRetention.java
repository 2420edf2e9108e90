package io.orchide.node.dataset;

import io.orchide.model.Dataset;
import io.orchide.model.DatasetSpec;
import io.orchide.node.layout.NodeLayout;
import io.orchide.node.storage.Reclaimer;
import io.orchide.node.storage.StorageKeeper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Applies each declared dataset's retention at the storage keeper's every measurement: files older than its
 * {@code maxAge} (by modification time, against the node's clock) go, then all but the newest {@code keepLast}.
 * Undeclared datasets, and declared ones without a retention, are left alone.
 */
public final class DatasetRetention implements StorageKeeper.Sweep {
    private static final System.Logger LOG = System.getLogger(DatasetRetention.class.getName());

    private final Supplier<List<Dataset>> declared;
    private final NodeLayout layout;
    private final Clock clock;

    public DatasetRetention(Supplier<List<Dataset>> declared, NodeLayout layout, Clock clock) {
        this.declared = declared;
        this.layout = layout;
        this.clock = clock;
    }

    @Override
    public String what() {
        return "files past their dataset's retention";
    }

    @Override
    public Reclaimer.Reclaimed sweep() throws IOException {
        Reclaimer.Reclaimed all = Reclaimer.Reclaimed.NOTHING;
        for (Dataset d : declared.get()) {
            if (d.spec().retention().any()) all = all.plus(apply(d.name(), d.spec().retention()));
        }
        return all;
    }

    /** Removes what {@code retention} does not keep of dataset {@code name}; returns what that freed. */
    Reclaimer.Reclaimed apply(String name, DatasetSpec.Retention retention) throws IOException {
        List<Entry> files = files(layout.dataset(name));
        files.sort(Comparator.comparing(Entry::modified).reversed().thenComparing(e -> e.path().getFileName()));
        Instant oldest = retention.maxAge() == null ? null : clock.instant().minus(retention.maxAge());
        Reclaimer.Reclaimed removed = Reclaimer.Reclaimed.NOTHING;
        for (int i = 0; i < files.size(); i++) {
            Entry e = files.get(i);
            boolean tooMany = retention.keepLast() != null && i >= retention.keepLast();
            boolean tooOld = oldest != null && e.modified().isBefore(oldest);
            if (!tooMany && !tooOld) continue;
            try {
                Files.delete(e.path());
                removed = removed.plus(new Reclaimer.Reclaimed(1, e.bytes()));
            } catch (NoSuchFileException gone) {
                // removed meanwhile (by a user or a step): nothing to do
            }
        }
        if (removed.items() > 0) {
            LOG.log(System.Logger.Level.INFO, "dataset " + name + ": retention removed " + removed.items()
                    + " file(s), " + removed.bytes() + " bytes");
        }
        return removed;
    }

    private static List<Entry> files(Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (!DatasetUse.isDatasetFile(p)) continue;
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile()) out.add(new Entry(p, a.lastModifiedTime().toInstant(), a.size()));
                } catch (NoSuchFileException gone) {
                    // removed between the listing and the look
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    private record Entry(Path path, Instant modified, long bytes) {
    }
}
