package io.orchide.node.workload;

import java.util.HashMap;
import java.util.Map;

/**
 * Compute held by something other than the node's workloads (pipeline runs), so that workload admission and the
 * run queue never give the same vCPU or MiB twice. Thread-safe.
 */
public final class Reservations {
    private final Map<String, Capacity> held = new HashMap<>();

    /** Records that {@code holder} holds {@code amount}, replacing what it held before. */
    public synchronized void hold(String holder, Capacity amount) {
        held.put(holder, amount);
    }

    public synchronized void release(String holder) {
        held.remove(holder);
    }

    public synchronized Capacity total() {
        Capacity t = new Capacity(0, 0);
        for (Capacity c : held.values()) t = t.plus(c);
        return t;
    }
}
