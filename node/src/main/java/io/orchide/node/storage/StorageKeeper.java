package io.orchide.node.storage;

import io.orchide.model.time.ScaledClock;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Watches the node's storage and keeps it from filling up: every {@code every} (of the node's clock) it measures
 * the {@link Volume}; below the budget's low mark it asks its {@link Reclaimer}s, in order, to free what they can
 * spare until the low mark is met again. Each change of level, and each reclaim, is a {@link Change}: kept (the last
 * {@value #CHANGES_KEPT}) for the API and handed to a listener (the node's log and its reports to ground). With a
 * {@link TenantStorage}, each measurement also measures each tenant's files against its on-board storage quota; a
 * tenant going over it, or back within it, is a change too.
 */
public final class StorageKeeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StorageKeeper.class.getName());

    /** How many changes the keeper remembers. */
    public static final int CHANGES_KEPT = 20;
    /** How often storage is measured unless configured, in the node's time. */
    public static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);
    /** The shortest real pause between two measurements, however fast the node's clock runs. */
    static final Duration MIN_REAL_PAUSE = Duration.ofSeconds(1);

    private final Volume volume;
    private final List<Reclaimer> reclaimers;
    private final List<Sweep> sweeps;
    private final Clock clock;
    private final Duration every;
    private final Consumer<Change> listener;
    private final TenantStorage tenants;
    private final Deque<Change> changes = new ArrayDeque<>();
    private StorageLevel level;
    private Instant since;
    private Space last;
    private Reclaimer.Reclaimed reclaimed = Reclaimer.Reclaimed.NOTHING;
    private String failure;
    private Thread thread;
    private volatile boolean closed;

    public StorageKeeper(Volume volume, List<Reclaimer> reclaimers, Clock clock, Duration every,
                         Consumer<Change> listener) {
        this(volume, reclaimers, List.of(), null, clock, every, listener);
    }

    /**
     * As above, with {@code sweeps} done at each measurement, before it, whatever the level, and each tenant's files
     * measured against its on-board storage quota with {@code tenants} (null: not).
     */
    public StorageKeeper(Volume volume, List<Reclaimer> reclaimers, List<Sweep> sweeps, TenantStorage tenants, Clock clock,
                         Duration every, Consumer<Change> listener) {
        this.sweeps = List.copyOf(sweeps);
        this.tenants = tenants;
        this.volume = Objects.requireNonNull(volume, "volume");
        this.reclaimers = List.copyOf(reclaimers);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.every = every == null ? DEFAULT_EVERY : every;
        this.listener = listener == null ? c -> { } : listener;
    }

    /**
     * Routine deletion that owes nothing to the level of the storage (a dataset's retention): done at each
     * measurement; what it removed is reported as a change.
     */
    public interface Sweep {
        /** What it removes, in the plural, for reports: {@code "files past their dataset's retention"}. */
        String what();

        Reclaimer.Reclaimed sweep() throws IOException;
    }

    /** A change of level, or space reclaimed: when, the level after it, the free bytes after it, and what was done. */
    public record Change(Instant at, StorageLevel level, long freeBytes, String note) {
    }

    /**
     * The storage as last measured: its level and since when, the space, the budget, what was reclaimed in all, the
     * recent changes (oldest first), and the last measuring error (null when none).
     */
    public record Status(StorageLevel level, Instant since, Space space, StorageBudget budget, int reclaimedItems,
                         long reclaimedBytes, List<Change> changes, String error) {
    }

    public Volume volume() {
        return volume;
    }

    /** Measures now, reclaims if the space is low, and returns the status. */
    public synchronized Status check() {
        Instant now = clock.instant();
        try {
            List<String> notes = new ArrayList<>();
            for (Sweep w : sweeps) {
                try {
                    Reclaimer.Reclaimed x = w.sweep();
                    if (x.items() > 0) notes.add("removed " + x.items() + " " + w.what() + " (" + x.bytes() + " bytes)");
                } catch (IOException | RuntimeException e) { // a sweep that fails must not stop the measurement
                    LOG.log(System.Logger.Level.WARNING, "cannot remove " + w.what() + ": " + e.getMessage(), e);
                }
            }
            Space s = volume.measure();
            StorageBudget b = volume.budget();
            StorageLevel l = b.level(s.freeBytes());
            if (l != StorageLevel.OK) {
                Reclaimer.Reclaimed got = Reclaimer.Reclaimed.NOTHING;
                long want = b.lowBytes() - s.freeBytes();
                for (Reclaimer r : reclaimers) {
                    if (got.bytes() >= want) break;
                    Reclaimer.Reclaimed x = r.reclaim(want - got.bytes());
                    if (x.items() > 0) notes.add("reclaimed " + x.items() + " " + r.what() + " (" + x.bytes() + " bytes)");
                    got = got.plus(x);
                }
                if (got.items() > 0) {
                    reclaimed = reclaimed.plus(got);
                    s = volume.measure();
                    l = b.level(s.freeBytes());
                }
            }
            if (tenants != null) {
                for (String note : tenants.measure()) record(new Change(now, l, s.freeBytes(), note));
            }
            failure = null;
            last = s;
            if (l != level || !notes.isEmpty()) {
                List<String> parts = new ArrayList<>();
                if (level != null && l != level) parts.add("was " + level.wire());
                if (!notes.isEmpty()) parts.add(String.join(", ", notes));
                record(new Change(now, l, s.freeBytes(), parts.isEmpty() ? null : String.join("; ", parts)));
                if (l != level) since = now;
                level = l;
            }
        } catch (IOException | RuntimeException e) {
            failure = "cannot measure " + volume.root() + ": " + e.getMessage();
        }
        return status();
    }

    private void record(Change c) {
        if (changes.size() == CHANGES_KEPT) changes.removeFirst();
        changes.addLast(c);
        try {
            listener.accept(c);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a storage listener failed", e);
        }
    }

    public synchronized Status status() {
        return new Status(level == null ? StorageLevel.OK : level, since, last, volume.budget(), reclaimed.items(),
                reclaimed.bytes(), List.copyOf(changes), failure);
    }

    /**
     * Measures at once and then every {@code every}, on a thread of its own (so that a walk of a large data directory
     * never delays the agent's start), until closed.
     */
    public synchronized void start() {
        if (thread != null) return;
        thread = Thread.ofPlatform().daemon().name("storage-keeper").start(() -> {
            while (!closed) {
                check();
                try {
                    Duration pause = ScaledClock.realDelay(clock, every);
                    Thread.sleep(pause.compareTo(MIN_REAL_PAUSE) < 0 ? MIN_REAL_PAUSE : pause);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(5_000);
        }
    }
}
