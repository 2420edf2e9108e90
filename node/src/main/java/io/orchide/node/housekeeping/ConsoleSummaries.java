package io.orchide.node.housekeeping;

import io.orchide.runtime.supervise.ConsoleRing;
import io.orchide.node.workload.NoSuchWorkloadException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Feeds every workload's console to the {@link LogSummaries} as its lines are written ({@code workload/NAME}): one
 * follower per workload, woken by file events, started for a new workload and closed for one that went. The consoles
 * of the workloads there are at the first {@link #sync()} (the agent's start) are followed from their end: their
 * lines were summarised before the restart. A workload that appears later is followed from its console's start (its
 * newest {@link #NEW_WORKLOAD_BACKLOG} lines), so that what it printed before a sync noticed it is summarised too.
 */
public final class ConsoleSummaries implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConsoleSummaries.class.getName());
    static final int NEW_WORKLOAD_BACKLOG = 10_000;

    /** The console file of a workload; throws {@link NoSuchWorkloadException} for one that went meanwhile. */
    public interface Consoles {
        Path console(String workload) throws NoSuchWorkloadException;
    }

    private final Supplier<Set<String>> workloads;
    private final Consoles consoles;
    private final LogSummaries logs;
    private final Map<String, ConsoleRing.Follower> following = new HashMap<>();
    private boolean synced;

    public ConsoleSummaries(Supplier<Set<String>> workloads, Consoles consoles, LogSummaries logs) {
        this.workloads = workloads;
        this.consoles = consoles;
        this.logs = logs;
    }

    /** Follows the workloads there are now and stops following those that went. */
    public synchronized void sync() {
        Set<String> now = workloads.get();
        following.entrySet().removeIf(e -> {
            if (now.contains(e.getKey())) return false;
            e.getValue().close();
            return true;
        });
        int backlog = synced ? NEW_WORKLOAD_BACKLOG : 0;
        synced = true;
        for (String w : now) {
            if (following.containsKey(w)) continue;
            try {
                String subject = "workload/" + w;
                following.put(w, ConsoleRing.follow(consoles.console(w), backlog, line -> logs.line(subject, line)));
            } catch (IOException | NoSuchWorkloadException e) {
                LOG.log(System.Logger.Level.DEBUG, "console of " + w + " not followed yet: " + e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        following.values().forEach(ConsoleRing.Follower::close);
        following.clear();
    }
}
