package io.orchide.node.pipeline.run;

import io.orchide.node.storage.Reclaimer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reclaims the files of runs that ended a while ago, oldest run first: their workspace (staged inputs, step outputs)
 * and their step directories (consoles). The run's record, its results and its products stay: a product was placed
 * in the outbox as a file of its own, and a file staged from a dataset was a link to it.
 */
public final class FinishedRunFiles implements Reclaimer {
    private static final System.Logger LOG = System.getLogger(FinishedRunFiles.class.getName());

    /** A run's files are kept at least this long after it ended, in the node's time. */
    static final Duration GRACE = Duration.ofMinutes(1);

    private final PipelineStore store;
    private final Path workspaces;
    private final Path runs;
    private final Clock clock;

    public FinishedRunFiles(PipelineStore store, Path workspaces, Path runs, Clock clock) {
        this.store = store;
        this.workspaces = workspaces;
        this.runs = runs;
        this.clock = clock;
    }

    @Override
    public String what() {
        return "workspaces of finished runs";
    }

    @Override
    public Reclaimed reclaim(long bytes) {
        return reclaim(name -> true, bytes);
    }

    /** As {@link #reclaim(long)}, among the runs whose names {@code among} accepts only (a tenant's). */
    public Reclaimed reclaim(java.util.function.Predicate<String> among, long bytes) {
        Instant before = clock.instant().minus(GRACE);
        Reclaimed got = Reclaimed.NOTHING;
        for (String name : candidates()) {
            if (got.bytes() >= bytes) break;
            if (!among.test(name)) continue;
            long id = PipelineRun.idOf(name);
            Optional<PipelineRun> r = store.run(id);
            if (r.isEmpty() || !r.get().state().ended() || !name.equals(r.get().name())) continue;
            if (r.get().endedAt() == null || r.get().endedAt().isAfter(before)) continue;
            long size;
            try {
                size = Reclaimer.delete(runs.resolve(name), workspaces.resolve(name));
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete the files of run " + name + ": " + e.getMessage());
                continue;
            }
            got = got.plus(new Reclaimed(1, size));
        }
        return got;
    }

    /** The names of runs that have files, oldest run first. */
    private TreeSet<String> candidates() {
        TreeSet<String> names = new TreeSet<>((a, b) -> {
            int c = Long.compare(PipelineRun.idOf(a), PipelineRun.idOf(b));
            return c != 0 ? c : a.compareTo(b);
        });
        for (Path d : new Path[]{workspaces, runs}) {
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                s.map(p -> p.getFileName().toString()).filter(n -> PipelineRun.idOf(n) > 0).forEach(names::add);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot list " + d + ": " + e.getMessage());
            }
        }
        return names;
    }
}
