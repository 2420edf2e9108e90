package io.orchide.node.workload;

import io.orchide.runtime.Probe;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The node's monitor probes (a trial container, a KVM boot that can take 20 s on a loaded host), run once on their
 * own thread so that nothing on the agent's start-up path waits for them. What needs an answer asks when it needs
 * it: the drivers' probes are serialised and cached, so a launch choosing {@code accel: auto} or a {@code doctor}
 * call made meanwhile waits for the same probe instead of starting another.
 */
public final class MonitorProbes {
    private static final System.Logger LOG = System.getLogger(MonitorProbes.class.getName());

    private final Supplier<List<Probe>> probe;
    private final CompletableFuture<List<Probe>> results = new CompletableFuture<>();

    public MonitorProbes(Supplier<List<Probe>> probe) {
        this.probe = probe;
    }

    /** Starts probing on a thread of its own; returns at once. */
    public void start() {
        Thread.ofVirtual().name("monitor-probes").start(() -> {
            try {
                results.complete(List.copyOf(probe.get()));
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "probing the monitors failed", e);
                results.completeExceptionally(e);
            }
        });
    }

    /** Runs {@code then} with the probes when they have run (at once if they have), on the probing thread. */
    public void whenDone(Consumer<List<Probe>> then) {
        results.thenAccept(then);
    }
}
