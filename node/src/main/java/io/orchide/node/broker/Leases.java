package io.orchide.node.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Exclusive leases on devices. A request for a free device gets its lease at once; a request for a held one waits,
 * never fails: when the lease ends, the waiter of the highest priority gets it (among equals, the first to ask). A
 * holder of a lower priority is not cut short, and a lease not given back within {@code maxHold} of the clock ends
 * by itself at the next call here, so that a workload that dies holding a device never keeps it from the others.
 */
public final class Leases {
    /** A lease held: by {@code holder} at {@code priority}, since {@code since}. */
    public record Lease(String device, String holder, int priority, Instant since, long id) {
    }

    /** A request waiting for {@code device}. */
    public record Waiter(String device, String holder, int priority, long seq, CompletableFuture<Lease> granted) {
    }

    private static final Comparator<Waiter> ORDER =
            Comparator.comparingInt(Waiter::priority).reversed().thenComparingLong(Waiter::seq);

    private final Clock clock;
    private final Duration maxHold;
    private final Map<String, Lease> held = new HashMap<>();
    private final Map<String, PriorityQueue<Waiter>> waiting = new HashMap<>();
    private long seq;

    public Leases(Clock clock, Duration maxHold) {
        this.clock = clock;
        this.maxHold = maxHold;
    }

    /** Asks for {@code device}'s lease; the future completes when it is this holder's (at once when it is free). */
    public synchronized CompletableFuture<Lease> acquire(String device, String holder, int priority) {
        expireOverdue();
        Waiter w = new Waiter(device, holder, priority, ++seq, new CompletableFuture<>());
        waiting.computeIfAbsent(device, k -> new PriorityQueue<>(ORDER)).add(w);
        handOver(device);
        return w.granted();
    }

    /** Gives {@code lease} back; the next waiter, if any, gets the device. A lease already ended changes nothing. */
    public synchronized void release(Lease lease) {
        Lease current = held.get(lease.device());
        if (current == null || current.id() != lease.id()) return;
        held.remove(lease.device());
        handOver(lease.device());
    }

    /** Stops waiting: {@code future} (from {@link #acquire}) will not be granted; a lease it got already is released. */
    public synchronized void cancel(CompletableFuture<Lease> future) {
        for (PriorityQueue<Waiter> q : waiting.values()) q.removeIf(w -> w.granted() == future);
        if (future.isDone() && !future.isCompletedExceptionally()) release(future.join());
        future.cancel(false);
    }

    /** Ends every lease held longer than {@code maxHold}, handing each device to its next waiter. */
    public synchronized void expireOverdue() {
        Instant now = clock.instant();
        for (Lease l : new ArrayList<>(held.values())) {
            if (Duration.between(l.since(), now).compareTo(maxHold) >= 0) {
                held.remove(l.device());
                handOver(l.device());
            }
        }
    }

    /** Who holds {@code device}, if anyone. */
    public synchronized Optional<Lease> holder(String device) {
        expireOverdue();
        return Optional.ofNullable(held.get(device));
    }

    /** Who waits for {@code device}, in the order they will get it. */
    public synchronized List<Waiter> waiters(String device) {
        PriorityQueue<Waiter> q = waiting.get(device);
        if (q == null) return List.of();
        List<Waiter> out = new ArrayList<>(q);
        out.sort(ORDER);
        return out;
    }

    private void handOver(String device) {
        if (held.containsKey(device)) return;
        PriorityQueue<Waiter> q = waiting.get(device);
        while (q != null && !q.isEmpty()) {
            Waiter next = q.poll();
            if (next.granted().isDone()) continue; // cancelled while waiting
            Lease lease = new Lease(device, next.holder(), next.priority(), clock.instant(), ++seq);
            held.put(device, lease);
            next.granted().complete(lease);
            return;
        }
    }
}
