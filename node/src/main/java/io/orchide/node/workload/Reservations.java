package io.orchide.node.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Compute held by something other than the node's workloads (pipeline runs), each for a tenant, so that workload
 * admission and the run queue never give the same vCPU or MiB twice, and a tenant's quota counts its runs beside its
 * workloads. Thread-safe.
 */
public final class Reservations {
    private record Held(String tenant, Capacity amount) {
    }

    private final Map<String, Held> held = new HashMap<>();

    /** Records that {@code holder} holds {@code amount}, for no tenant in particular, replacing what it held before. */
    public synchronized void hold(String holder, Capacity amount) {
        hold(holder, null, amount);
    }

    /** Records that {@code holder} holds {@code amount} for {@code tenant}, replacing what it held before. */
    public synchronized void hold(String holder, String tenant, Capacity amount) {
        held.put(holder, new Held(tenant, amount));
    }

    public synchronized void release(String holder) {
        held.remove(holder);
    }

    public synchronized Capacity total() {
        Capacity t = new Capacity(0, 0);
        for (Held h : held.values()) t = t.plus(h.amount());
        return t;
    }

    /** What is held for {@code tenant}. */
    public synchronized Capacity total(String tenant) {
        Capacity t = new Capacity(0, 0);
        for (Held h : held.values()) if (Objects.equals(h.tenant(), tenant)) t = t.plus(h.amount());
        return t;
    }
}
